import { quietUntil, Weekday, zonedInstant, type QuietHoursRule } from './quiet-hours';

const night = (timeZone: string, days: Weekday[] | null = null): QuietHoursRule => ({
  timeZone,
  startMinute: 22 * 60,
  endMinute: 7 * 60,
  days,
});
const until = (rule: QuietHoursRule, at: string) => quietUntil(rule, new Date(at))?.toISOString() ?? null;

describe('quietUntil', () => {
  it('ends a Berlin night at 07:00 CEST when the clocks go forward during it', () => {
    expect(until(night('Europe/Berlin'), '2026-03-28T23:30:00Z')).toBe('2026-03-29T05:00:00.000Z');
    expect(until(night('Europe/Berlin'), '2026-03-28T21:00:00Z')).toBe('2026-03-29T05:00:00.000Z');
    expect(until(night('Europe/Berlin'), '2026-03-28T20:59:00Z')).toBeNull();
  });

  it('ends a Berlin night at 07:00 CET when the clocks go back during it', () => {
    expect(until(night('Europe/Berlin'), '2026-10-25T01:30:00Z')).toBe('2026-10-25T06:00:00.000Z');
  });

  it('ends New York nights across both changes', () => {
    expect(until(night('America/New_York'), '2026-11-01T05:30:00Z')).toBe('2026-11-01T12:00:00.000Z');
    expect(until(night('America/New_York'), '2026-03-08T06:30:00Z')).toBe('2026-03-08T11:00:00.000Z');
  });

  it('counts days by the day a window starts on', () => {
    const fridays = night('Europe/Berlin', [Weekday.FRIDAY]);
    expect(until(fridays, '2026-12-05T01:00:00Z')).toBe('2026-12-05T06:00:00.000Z');
    expect(until(fridays, '2026-12-06T01:00:00Z')).toBeNull();
    expect(until(fridays, '2026-12-04T21:30:00Z')).toBe('2026-12-05T06:00:00.000Z');
  });

  it('handles a window within one day', () => {
    const day = { timeZone: 'UTC', startMinute: 9 * 60, endMinute: 17 * 60, days: null };
    expect(until(day, '2026-12-05T10:00:00Z')).toBe('2026-12-05T17:00:00.000Z');
    expect(until(day, '2026-12-05T17:00:00Z')).toBeNull();
  });
});

describe('zonedInstant', () => {
  it('reads a skipped local time just after the change and a repeated one as its first occurrence', () => {
    expect(zonedInstant({ year: 2026, month: 3, day: 29 }, 150, 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    expect(zonedInstant({ year: 2026, month: 10, day: 25 }, 150, 'Europe/Berlin').toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });
});
