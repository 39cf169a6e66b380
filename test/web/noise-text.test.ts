// How the noise-control pages word quiet hours, days and digests, without a browser.
import {
  crossesMidnight,
  daysInWords,
  digestSentence,
  quietHoursSentence,
  timeZoneChoices,
  wholeNumberForApi,
} from '../../web/src/noise-text';

describe('quiet hours in words', () => {
  it('says what happens during a window that crosses midnight on weekdays', () => {
    expect(
      quietHoursSentence({
        timeZone: 'Europe/Berlin',
        start: '22:00',
        end: '07:00',
        days: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'],
      }),
    ).toBe(
      'From 22:00 to 07:00 Europe/Berlin on weekdays, only critical notifications reach you at once; the rest ' +
        'arrive as one summary at 07:00.',
    );
  });

  it('says that nothing waits without quiet hours', () => {
    expect(quietHoursSentence(null)).toBe('Quiet hours are off: every notification reaches you at once.');
  });

  it('names every day, weekdays, weekends and other days in the week’s order', () => {
    expect(daysInWords(null)).toBe('every day');
    expect(daysInWords(['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'])).toBe(
      'every day',
    );
    expect(daysInWords(['SUNDAY', 'SATURDAY'])).toBe('at weekends');
    expect(daysInWords(['THURSDAY', 'MONDAY'])).toBe('on Mondays and Thursdays');
    expect(daysInWords(['FRIDAY', 'MONDAY', 'WEDNESDAY'])).toBe('on Mondays, Wednesdays and Fridays');
    expect(daysInWords(['SUNDAY'])).toBe('on Sundays');
  });

  it('knows a window whose end is not after its start ends the next day', () => {
    expect(crossesMidnight({ start: '22:00', end: '07:00' })).toBe(true);
    expect(crossesMidnight({ start: '12:00', end: '14:00' })).toBe(false);
  });

  it('offers a saved zone the browser does not list, among the ones it does', () => {
    const zones = Intl.supportedValuesOf('timeZone');
    expect(timeZoneChoices('Europe/Berlin')).toEqual(zones);
    expect(timeZoneChoices('Etc/GMT+5')).toContain('Etc/GMT+5');
  });
});

describe('digests in words', () => {
  it('says how many go out at once in a window and that the rest wait', () => {
    expect(digestSentence(null)).toBe('Off: each notification goes out at once.');
    expect(digestSentence({ windowMinutes: 10, allowance: 2 })).toBe(
      'In each window (every 10 minutes), the first 2 notifications go out at once; the rest arrive as one ' +
        'digest when the window ends.',
    );
    expect(digestSentence({ windowMinutes: 60, allowance: 1 })).toMatch(
      /^In each window \(every hour\), the first notification goes out at once;/,
    );
    expect(digestSentence({ windowMinutes: 1440, allowance: 0 })).toMatch(
      /^In each window \(every day\), nothing goes out at once;/,
    );
    expect(digestSentence({ windowMinutes: 120, allowance: 5 })).toMatch(/\(every 2 hours\)/);
  });
});

describe('numbers for the API', () => {
  it('reads whole numbers only, and holds one beyond 32 bits to the largest GraphQL Int', () => {
    expect(wholeNumberForApi(' 15 ')).toBe(15);
    expect(wholeNumberForApi('-3')).toBe(-3);
    expect(wholeNumberForApi('1.5')).toBeNull();
    expect(wholeNumberForApi('')).toBeNull();
    expect(wholeNumberForApi('1e3')).toBeNull();
    expect(wholeNumberForApi('99999999999')).toBe(2 ** 31 - 1);
    expect(wholeNumberForApi('-99999999999')).toBe(-(2 ** 31));
  });
});
