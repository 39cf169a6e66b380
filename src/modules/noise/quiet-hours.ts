// When a person's quiet hours hold their notifications: local times in an IANA time zone, turned into instants with
// the platform's time-zone data (Intl), so daylight-saving changes move the window's end as they move the clocks.

export enum Weekday {
  MONDAY = 'MONDAY',
  TUESDAY = 'TUESDAY',
  WEDNESDAY = 'WEDNESDAY',
  THURSDAY = 'THURSDAY',
  FRIDAY = 'FRIDAY',
  SATURDAY = 'SATURDAY',
  SUNDAY = 'SUNDAY',
}

/** Intl's short weekday names (en-US), in Weekday's order. */
const WEEKDAY_BY_SHORT: Record<string, Weekday> = {
  Mon: Weekday.MONDAY,
  Tue: Weekday.TUESDAY,
  Wed: Weekday.WEDNESDAY,
  Thu: Weekday.THURSDAY,
  Fri: Weekday.FRIDAY,
  Sat: Weekday.SATURDAY,
  Sun: Weekday.SUNDAY,
};
const WEEKDAYS = Object.values(Weekday);

export interface QuietHoursRule {
  timeZone: string;
  /** Minutes after local midnight. */
  startMinute: number;
  endMinute: number;
  /** The days a window may start on; null: every day. */
  days: readonly Weekday[] | null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Whether the platform knows `timeZone` as an IANA zone (e.g. Europe/Berlin). */
export function isTimeZone(timeZone: string): boolean {
  // Names only (Europe/Berlin, UTC): newer platforms also take offsets such as +02:00, which have no DST rules.
  if (timeZone.length > 64 || !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(timeZone))
    return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  minute: number;
  second: number;
  weekday: Weekday;
}

function localTime(instant: Date, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    minute: Number(parts.hour) * 60 + Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAY_BY_SHORT[parts.weekday],
  };
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const local = localTime(new Date(instant), timeZone);
  const wall = Date.UTC(local.year, local.month - 1, local.day, 0, local.minute, local.second);
  return wall - (instant - (instant % 1000));
}

/**
 * The instant a wall-clock time of the zone names. A time that does not exist (skipped when the clocks go forward)
 * is read with the offset from before the change, which lands just after it; one that exists twice (when they go
 * back) is its first occurrence.
 */
export function zonedInstant(
  date: { year: number; month: number; day: number },
  minute: number,
  timeZone: string,
): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day, 0, minute);
  const before = offsetAt(wall - 36 * 3600_000, timeZone);
  const after = offsetAt(wall + 36 * 3600_000, timeZone);
  // Try both offsets of the day; keep one that reads back as the same wall time, the earlier if both do.
  const candidates = [wall - Math.max(before, after), wall - Math.min(before, after)];
  for (const candidate of candidates) {
    if (offsetAt(candidate, timeZone) === wall - candidate) return new Date(candidate);
  }
  return new Date(wall - before);
}

function addDays(date: { year: number; month: number; day: number }, days: number) {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

function previousWeekday(day: Weekday): Weekday {
  return WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7];
}

/**
 * When the quiet window `now` falls in ends, or null when `now` is outside every window. A window from start to
 * end; one whose end is not after its start ends the next day. `days` name the day a window starts on.
 */
export function quietUntil(rule: QuietHoursRule, now: Date): Date | null {
  const { startMinute: start, endMinute: end, timeZone } = rule;
  if (start === end) return null;
  const local = localTime(now, timeZone);
  const today = { year: local.year, month: local.month, day: local.day };
  const startsOn = (day: Weekday) => rule.days === null || rule.days.includes(day);
  const crossesMidnight = end < start;
  if (!crossesMidnight) {
    if (local.minute >= start && local.minute < end && startsOn(local.weekday)) {
      return zonedInstant(today, end, timeZone);
    }
    return null;
  }
  if (local.minute >= start && startsOn(local.weekday)) return zonedInstant(addDays(today, 1), end, timeZone);
  if (local.minute < end && startsOn(previousWeekday(local.weekday)))
    return zonedInstant(today, end, timeZone);
  return null;
}

/** "HH:MM" (00:00 to 23:59) as minutes after midnight, or null when it is not one. */
export function parseClockTime(text: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

export function formatClockTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
