// How the noise-control pages word things: severities, quiet hours and digests as sentences. Pure, so it is tested without a browser (test/web/noise-text.test.ts).
import type { ChannelKind, Severity, Weekday } from './graphql/generated';

/** Most urgent first, as a choice lists them. */
export const SEVERITIES: readonly Severity[] = ['CRITICAL', 'WARNING', 'INFO'];

export const SEVERITY_LABELS: Record<Severity, string> = {
  CRITICAL: 'Critical',
  WARNING: 'Warning',
  INFO: 'Info',
};

/** What a severity means for the people who get it. */
export const SEVERITY_HINTS: Record<Severity, string> = {
  CRITICAL: 'reaches people at once, even in their quiet hours',
  WARNING: 'waits during quiet hours',
  INFO: 'waits during quiet hours',
};

/** In the week's order, Monday first. */
export const WEEKDAYS: readonly Weekday[] = [
  'MONDAY',
  'TUESDAY',
  'WEDNESDAY',
  'THURSDAY',
  'FRIDAY',
  'SATURDAY',
  'SUNDAY',
];

export const WEEKDAY_LABELS: Record<Weekday, string> = {
  MONDAY: 'Monday',
  TUESDAY: 'Tuesday',
  WEDNESDAY: 'Wednesday',
  THURSDAY: 'Thursday',
  FRIDAY: 'Friday',
  SATURDAY: 'Saturday',
  SUNDAY: 'Sunday',
};

const WORKING_DAYS: readonly Weekday[] = WEEKDAYS.slice(0, 5);
const WEEKEND: readonly Weekday[] = WEEKDAYS.slice(5);

function sameDays(a: readonly Weekday[], b: readonly Weekday[]): boolean {
  return a.length === b.length && b.every((day) => a.includes(day));
}

/** "A, B and C". */
function listInWords(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** "every day", "on weekdays", "at weekends", "on Mondays and Thursdays" (null: every day). */
export function daysInWords(days: readonly Weekday[] | null): string {
  if (!days || sameDays(days, WEEKDAYS)) return 'every day';
  if (sameDays(days, WORKING_DAYS)) return 'on weekdays';
  if (sameDays(days, WEEKEND)) return 'at weekends';
  const ordered = WEEKDAYS.filter((day) => days.includes(day));
  return `on ${listInWords(ordered.map((day) => `${WEEKDAY_LABELS[day]}s`))}`;
}

export interface QuietHoursWindow {
  timeZone: string;
  start: string;
  end: string;
  days: readonly Weekday[] | null;
}

/** Whether the window ends the next day: an end not after the start (README, quiet hours). */
export function crossesMidnight(window: Pick<QuietHoursWindow, 'start' | 'end'>): boolean {
  return window.end <= window.start;
}

/**
 * "From 22:00 to 07:00 Europe/Berlin on weekdays, only critical notifications reach you at once; the rest arrive
 * as one summary at 07:00."
 */
export function quietHoursSentence(window: QuietHoursWindow | null): string {
  if (!window) return 'Quiet hours are off: every notification reaches you at once.';
  return (
    `From ${window.start} to ${window.end} ${window.timeZone} ${daysInWords(window.days)}, ` +
    `only critical notifications reach you at once; the rest arrive as one summary at ${window.end}.`
  );
}

/** The browser's time zone, e.g. Europe/Berlin; UTC when it names none. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The IANA zones this browser knows, with `current` among them even if it does not (a zone saved elsewhere). */
export function timeZoneChoices(current: string): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return zones.includes(current) ? zones : [current, ...zones].sort();
}

const INT_MAX = 2 ** 31 - 1;

/**
 * A whole number as typed, for a GraphQL Int: one beyond 32 bits is sent as the largest Int, so the API answers
 * with its own range ("must be 1 to 1440 minutes") rather than a refused variable; null when it is no whole number.
 */
export function wholeNumberForApi(text: string): number | null {
  if (!/^\s*-?\d+\s*$/.test(text)) return null;
  return Math.max(-INT_MAX - 1, Math.min(INT_MAX, Number(text)));
}

export interface DigestRule {
  windowMinutes: number;
  allowance: number;
}

/** "every 10 minutes", "every hour", "every 90 minutes", "every day". */
function windowInWords(minutes: number): string {
  if (minutes === 1) return 'every minute';
  if (minutes === 60) return 'every hour';
  if (minutes === 1440) return 'every day';
  if (minutes % 60 === 0) return `every ${minutes / 60} hours`;
  return `every ${minutes} minutes`;
}

/** What a channel's digest does, or that it has none. */
export function digestSentence(rule: DigestRule | null): string {
  if (!rule) return 'Off: each notification goes out at once.';
  const { windowMinutes, allowance } = rule;
  const atOnce =
    allowance === 0
      ? 'nothing goes out at once'
      : `the first ${allowance === 1 ? 'notification goes' : `${allowance} notifications go`} out at once`;
  return `In each window (${windowInWords(windowMinutes)}), ${atOnce}; the rest arrive as one digest when the window ends.`;
}

/** The personal kinds come first: a digest on them applies to everyone's, for this stack. */
export const DIGEST_KINDS: readonly ChannelKind[] = [
  'EMAIL',
  'IOS',
  'BROWSER',
  'SLACK',
  'TEAMS',
  'DISCORD',
  'HIPCHAT',
  'WEBHOOK',
];

export const DIGEST_KIND_LABELS: Record<ChannelKind, string> = {
  EMAIL: 'Email',
  IOS: 'iOS push',
  BROWSER: 'Browser push',
  SLACK: 'Slack',
  TEAMS: 'Microsoft Teams',
  DISCORD: 'Discord',
  HIPCHAT: 'Hipchat',
  WEBHOOK: 'Webhooks',
};

export const PERSONAL_DIGEST_KINDS: readonly ChannelKind[] = ['EMAIL', 'IOS', 'BROWSER'];
