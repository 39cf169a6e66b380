import { OutcomeBacklog } from './outcome-backlog';

describe('OutcomeBacklog', () => {
  it('keeps failed outcomes in the order they ended, ahead of those kept later', () => {
    const backlog = new OutcomeBacklog<string>({ limit: 10 });
    backlog.keep(['c', 'd'], 0);
    backlog.keep(['a', 'b'], 0);
    expect(backlog.size).toBe(4);
    expect(backlog.takeAll()).toEqual(['a', 'b', 'c', 'd']);
    expect(backlog.size).toBe(0);
  });

  it('keeps at most `limit` outcomes and hands back the oldest beyond it', () => {
    const backlog = new OutcomeBacklog<number>({ limit: 3 });
    expect(backlog.keep([3, 4], 0)).toEqual([]);
    expect(backlog.keep([1, 2], 0)).toEqual([1]);
    expect(backlog.peek()).toEqual([2, 3, 4]);
  });

  it('doubles the pause with each failure in a row, up to the longest, and starts over after a success', () => {
    const backlog = new OutcomeBacklog<string>({ limit: 10, minDelayMs: 100, maxDelayMs: 1000 });
    const pauses: number[] = [];
    for (let failure = 0; failure < 6; failure += 1) {
      backlog.keep(['x'], 5000);
      pauses.push(backlog.waitMs(5000));
      backlog.takeAll();
    }
    expect(pauses).toEqual([100, 200, 400, 800, 1000, 1000]);
    backlog.succeeded();
    backlog.keep(['x'], 5000);
    expect(backlog.waitMs(5000)).toBe(100);
  });

  it('is due once the pause has passed, and at once when empty', () => {
    const backlog = new OutcomeBacklog<string>({ limit: 10, minDelayMs: 100 });
    expect(backlog.waitMs(0)).toBe(0);
    backlog.keep(['x'], 1000);
    expect(backlog.waitMs(1040)).toBe(60);
    expect(backlog.waitMs(1100)).toBe(0);
    expect(backlog.waitMs(2000)).toBe(0);
  });
});
