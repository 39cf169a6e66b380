// The GraphQL shapes of quiet hours, digests and flapping rules.
import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ChannelKind } from '../events/event-types';
import { Stack } from '../stacks/stack.entity';
import { FLAP_SETTLE_MINUTES, FLAP_THRESHOLD, FLAP_WINDOW_MINUTES } from './flapping-rule';
import { Weekday } from './quiet-hours';

registerEnumType(Weekday, { name: 'Weekday', description: 'A day of the week.' });

@ObjectType({
  description:
    "A person's quiet hours: while they last, notifications below CRITICAL to the person's own channels (email, " +
    'iOS, browser push) wait, and arrive as one summary per channel when the window ends.',
})
export class QuietHours {
  @Field({ description: 'The IANA time zone the times are in, e.g. Europe/Berlin.' })
  timeZone: string;

  @Field({ description: 'Local start time, HH:MM.' })
  start: string;

  @Field({
    description: 'Local end time, HH:MM; a window whose end is not after its start ends the next day.',
  })
  end: string;

  @Field(() => [Weekday], {
    nullable: true,
    description:
      'The days a window starts on (a window crossing midnight ends the next day); null: every day.',
  })
  days: Weekday[] | null;
}

@InputType()
export class QuietHoursInput {
  @Field({ description: 'An IANA time zone, e.g. Europe/Berlin or America/New_York.' })
  timeZone: string;

  @Field({ description: 'Local start time, HH:MM (24-hour).' })
  start: string;

  @Field({
    description: 'Local end time, HH:MM (24-hour); before the start for a window that crosses midnight.',
  })
  end: string;

  @Field(() => [Weekday], {
    nullable: true,
    description: 'The days a window starts on; every day when omitted.',
  })
  days?: Weekday[] | null;
}

@ObjectType({
  description:
    'A digest on one channel of a stack: in each window of windowMinutes (aligned to the hour and day in UTC), ' +
    'the first `allowance` notifications go out at once and the rest wait for one digest at the window’s end.',
})
export class ChannelDigest {
  @Field(() => ChannelKind)
  channel: ChannelKind;

  @Field(() => Int, { description: 'The length of a window, in minutes.' })
  windowMinutes: number;

  @Field(() => Int, {
    description: 'How many notifications go out at once in a window before the rest wait.',
  })
  allowance: number;

  @Field(() => Stack, { description: 'The stack whose channel it is.' })
  stack: Stack;
}

@ObjectType({
  description:
    'When a subject of a stack (a server, a job...) flaps: its incidents opened more than `threshold` times within ' +
    '`windowMinutes`. Its notifications then wait and go out as one summary per window, critical ones too, until ' +
    'it has had no transition for `settleMinutes`; then one message says it settled, and in which state.',
})
export class FlappingSettings {
  @Field(() => Int, { description: 'Opens within the window a subject may have before it flaps.' })
  threshold: number;

  @Field(() => Int, {
    description: 'The window opens are counted in, and how often a flapping subject is summarised.',
  })
  windowMinutes: number;

  @Field(() => Int, { description: 'How long a flapping subject must go without a transition to settle.' })
  settleMinutes: number;

  @Field({ description: "True when the stack has its own rule; false: the service's defaults (FLAP_*)." })
  overridden: boolean;

  @Field(() => Stack, { description: 'The stack whose rule it is.' })
  stack: Stack;
}

@InputType()
export class FlappingInput {
  @Field(() => Int, { description: `${FLAP_THRESHOLD.min} to ${FLAP_THRESHOLD.max}.` })
  threshold: number;

  @Field(() => Int, { description: `${FLAP_WINDOW_MINUTES.min} to ${FLAP_WINDOW_MINUTES.max}.` })
  windowMinutes: number;

  @Field(() => Int, {
    description: `${FLAP_SETTLE_MINUTES.min} to ${FLAP_SETTLE_MINUTES.max}, and at least windowMinutes.`,
  })
  settleMinutes: number;
}
