import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { ThrottledLog } from './throttled-log';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger(
    'info',
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        callback();
      },
    }),
  );
  return { lines, log };
}

describe('ThrottledLog', () => {
  it('logs a repeating failure once per interval, with how many occurred since the last line', () => {
    const { lines, log } = capture();
    let now = 0;
    const throttled = new ThrottledLog(log, 10_000, () => now);
    for (; now < 25_000; now += 1000) throttled.error({ part: 'claim' }, 'database unreachable');
    expect(lines.map((line) => [line.msg, line.occurrences])).toEqual([
      ['database unreachable', 1],
      ['database unreachable', 10],
      ['database unreachable', 10],
    ]);
    throttled.recovered('database answers again');
    expect(lines[3]).toMatchObject({ msg: 'database answers again', occurrences: 4 });
    throttled.recovered('database answers again');
    expect(lines).toHaveLength(4);
    throttled.error({}, 'database unreachable');
    expect(lines).toHaveLength(5);
  });
});
