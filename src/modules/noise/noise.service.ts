// Quiet hours, digests and flapping rules: validating and storing them. The rules that hold deliveries are in
// noise-rules.ts (and, for flapping, incidents.service.ts).
import type { DataSource } from 'typeorm';
import { type Clock, systemClock } from '../../lib/clock';
import { BadUserInputError } from '../../lib/errors';
import { requireAdmin } from '../accounts/accounts.service';
import type { Viewer } from '../accounts/tokens.service';
import { ChannelKind } from '../events/event-types';
import type { Stack } from '../stacks/stack.entity';
import { type FlappingRule, flappingRuleProblem } from './flapping-rule';
import { daysOf, QuietHoursRow, StackDigest, StackFlapping } from './noise.entities';
import type { ChannelDigest, FlappingSettings, QuietHours, QuietHoursInput } from './noise.types';
import { formatClockTime, isTimeZone, parseClockTime, Weekday } from './quiet-hours';

export const DIGEST_WINDOW_MINUTES = { min: 1, max: 24 * 60 };
export const DIGEST_ALLOWANCE = { min: 0, max: 1000 };

export function quietHoursView(row: QuietHoursRow): QuietHours {
  return {
    timeZone: row.timeZone,
    start: formatClockTime(row.startMinute),
    end: formatClockTime(row.endMinute),
    days: daysOf(row),
  };
}

export class NoiseService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock = systemClock,
    /** The flapping rule of stacks without their own. */
    private readonly flappingDefaults: FlappingRule,
  ) {}

  async quietHours(userId: string): Promise<QuietHours | null> {
    const row = await this.dataSource.getRepository(QuietHoursRow).findOneBy({ userId });
    return row ? quietHoursView(row) : null;
  }

  /** The viewer's own quiet hours, replacing any they had. */
  async setQuietHours(viewer: Viewer, input: QuietHoursInput): Promise<QuietHours> {
    if (!isTimeZone(input.timeZone)) {
      throw new BadUserInputError('must be an IANA time zone such as Europe/Berlin', 'input.timeZone');
    }
    const startMinute = parseClockTime(input.start);
    if (startMinute === null)
      throw new BadUserInputError('must be a time HH:MM (00:00 to 23:59)', 'input.start');
    const endMinute = parseClockTime(input.end);
    if (endMinute === null) throw new BadUserInputError('must be a time HH:MM (00:00 to 23:59)', 'input.end');
    if (startMinute === endMinute) throw new BadUserInputError('must differ from the start', 'input.end');
    let days: string | null = null;
    if (input.days) {
      if (input.days.length === 0)
        throw new BadUserInputError('must name at least one day, or be null', 'input.days');
      // In the week's order, each once, whatever order they were given in.
      days = Object.values(Weekday)
        .filter((day) => input.days!.includes(day))
        .join(',');
    }
    const row: QuietHoursRow = {
      userId: viewer.user.id,
      timeZone: input.timeZone,
      startMinute,
      endMinute,
      days,
      updatedAt: this.clock.now(),
    };
    await this.dataSource.getRepository(QuietHoursRow).upsert(row, ['userId']);
    return quietHoursView(row);
  }

  async clearQuietHours(viewer: Viewer): Promise<void> {
    await this.dataSource.getRepository(QuietHoursRow).delete({ userId: viewer.user.id });
  }

  async digests(stack: Stack): Promise<ChannelDigest[]> {
    const rows = await this.dataSource.getRepository(StackDigest).findBy({ stackId: stack.id });
    const order = Object.values(ChannelKind);
    return rows
      .sort((a, b) => order.indexOf(a.channel) - order.indexOf(b.channel))
      .map((row) => ({
        channel: row.channel,
        windowMinutes: row.windowMinutes,
        allowance: row.allowance,
        stack,
      }));
  }

  /** OWNER or ADMIN: a digest on one of the stack's channels (for personal channels, everyone's on this stack). */
  async setDigest(
    viewer: Viewer,
    stack: Stack,
    input: { channel: ChannelKind; windowMinutes: number; allowance: number },
  ): Promise<ChannelDigest> {
    requireAdmin(viewer, 'set digests');
    const { windowMinutes, allowance } = input;
    if (
      !Number.isInteger(windowMinutes) ||
      windowMinutes < DIGEST_WINDOW_MINUTES.min ||
      windowMinutes > DIGEST_WINDOW_MINUTES.max
    ) {
      throw new BadUserInputError(
        `must be ${DIGEST_WINDOW_MINUTES.min} to ${DIGEST_WINDOW_MINUTES.max} minutes`,
        'windowMinutes',
      );
    }
    if (
      !Number.isInteger(allowance) ||
      allowance < DIGEST_ALLOWANCE.min ||
      allowance > DIGEST_ALLOWANCE.max
    ) {
      throw new BadUserInputError(`must be ${DIGEST_ALLOWANCE.min} to ${DIGEST_ALLOWANCE.max}`, 'allowance');
    }
    await this.dataSource
      .getRepository(StackDigest)
      .upsert(
        { stackId: stack.id, channel: input.channel, windowMinutes, allowance, updatedAt: this.clock.now() },
        ['stackId', 'channel'],
      );
    return { channel: input.channel, windowMinutes, allowance, stack };
  }

  async clearDigest(viewer: Viewer, stack: Stack, channel: ChannelKind): Promise<void> {
    requireAdmin(viewer, 'clear digests');
    await this.dataSource.getRepository(StackDigest).delete({ stackId: stack.id, channel });
  }

  /** The stack's flapping rule: its own, or the service's defaults. */
  async flapping(stack: Stack): Promise<FlappingSettings> {
    const row = await this.dataSource.getRepository(StackFlapping).findOneBy({ stackId: stack.id });
    const rule = row ?? this.flappingDefaults;
    return {
      threshold: rule.threshold,
      windowMinutes: rule.windowMinutes,
      settleMinutes: rule.settleMinutes,
      overridden: row !== null,
      stack,
    };
  }

  /** OWNER or ADMIN: the stack's own flapping rule, replacing any. Applies to transitions published after it. */
  async setFlapping(viewer: Viewer, stack: Stack, input: FlappingRule): Promise<FlappingSettings> {
    requireAdmin(viewer, 'set flapping rules');
    const rule = {
      threshold: input.threshold,
      windowMinutes: input.windowMinutes,
      settleMinutes: input.settleMinutes,
    };
    const problem = flappingRuleProblem(rule);
    if (problem) throw new BadUserInputError(problem[1], `input.${problem[0]}`);
    await this.dataSource
      .getRepository(StackFlapping)
      .upsert({ stackId: stack.id, ...rule, updatedAt: this.clock.now() }, ['stackId']);
    return { ...rule, overridden: true, stack };
  }

  /** OWNER or ADMIN: back to the service's defaults. */
  async clearFlapping(viewer: Viewer, stack: Stack): Promise<void> {
    requireAdmin(viewer, 'clear flapping rules');
    await this.dataSource.getRepository(StackFlapping).delete({ stackId: stack.id });
  }
}
