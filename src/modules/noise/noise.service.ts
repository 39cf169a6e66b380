// Quiet hours and digests: validating and storing them. The rules that hold deliveries are in noise-rules.ts.
import type { DataSource } from 'typeorm';
import { type Clock, systemClock } from '../../lib/clock';
import { BadUserInputError } from '../../lib/errors';
import { requireAdmin } from '../accounts/accounts.service';
import type { Viewer } from '../accounts/tokens.service';
import { ChannelKind } from '../events/event-types';
import type { Stack } from '../stacks/stack.entity';
import { daysOf, QuietHoursRow, StackDigest } from './noise.entities';
import type { ChannelDigest, QuietHours, QuietHoursInput } from './noise.types';
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
}
