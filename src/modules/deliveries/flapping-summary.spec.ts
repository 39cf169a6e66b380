import { EventType } from '../events/event-types';
import { flappingSummaryTitle } from './flapping-summary';

const at = (time: string) => new Date(`2026-07-01T${time}:00.000Z`);

describe('flappingSummaryTitle', () => {
  it('counts each state, spans the first to the last transition, and names the state it was left in', () => {
    expect(
      flappingSummaryTitle('server web-1', {
        byEventType: [
          { eventType: EventType.SERVER_STOPPED, count: 7, firstAt: at('02:10'), lastAt: at('02:15') },
          { eventType: EventType.SERVER_BACKON, count: 7, firstAt: at('02:10'), lastAt: at('02:14') },
        ],
        lastEventType: EventType.SERVER_STOPPED,
      }),
    ).toBe(
      'server web-1 flapped: stopped 7 times, back on 7 times between 02:10 and 02:15 UTC; now: stopped',
    );
  });

  it('says "once" and "at" for a single transition, in the words of its family', () => {
    expect(
      flappingSummaryTitle('job nightly', {
        byEventType: [
          { eventType: EventType.JOB_BACKON, count: 1, firstAt: at('08:00'), lastAt: at('08:00') },
        ],
        lastEventType: EventType.JOB_BACKON,
      }),
    ).toBe('job nightly flapped: succeeded once at 08:00 UTC; now: succeeded');
  });
});
