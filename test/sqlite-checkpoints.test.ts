// SQLite's WAL is checkpointed by a thread of its own: pages committed by the server reach the database file
// without any commit of the server's connection running the checkpoint, and closing the database stops the thread.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../src/db/data-source';
import { FALLBACK_AUTOCHECKPOINT_PAGES } from '../src/db/sqlite-checkpointer';
import { Account } from '../src/modules/accounts/account.entity';

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe('SQLite checkpoints', () => {
  let dir: string;
  let dataSource: DataSource | null = null;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-notifications-checkpoints-'));
  });

  afterEach(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    dataSource = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies committed pages into the database file from a thread of their own', async () => {
    const file = path.join(dir, 'notifications.sqlite');
    dataSource = await openDatabase({ type: 'sqlite', path: file }, { migrate: true });
    const pageSize = Number(
      ((await dataSource.query('PRAGMA page_size')) as { page_size: number }[])[0].page_size,
    );
    const autocheckpoint = (await dataSource.query('PRAGMA wal_autocheckpoint')) as {
      wal_autocheckpoint: number;
    }[];
    expect(autocheckpoint[0].wal_autocheckpoint).toBe(FALLBACK_AUTOCHECKPOINT_PAGES);
    // Let the thread checkpoint the migrations, then measure what a burst of commits adds.
    const settled = fs.statSync(file).size;
    await until(() => fs.statSync(file).size > settled, 2000);
    const before = fs.statSync(file).size;

    // About 400 pages: far under the writer's own threshold, so only the thread can move them.
    for (let batch = 0; batch < 20; batch++) {
      const accounts = dataSource.getRepository(Account);
      await accounts.insert(
        Array.from({ length: 50 }, (_, index) =>
          accounts.create({ name: `account ${batch}-${index} ${'x'.repeat(80)}` }),
        ),
      );
    }
    const written = fs.statSync(`${file}-wal`).size;
    expect(written).toBeGreaterThan(100 * pageSize);
    expect(written).toBeLessThan(FALLBACK_AUTOCHECKPOINT_PAGES * pageSize);

    expect(await until(() => fs.statSync(file).size >= before + 50 * pageSize, 5000)).toBe(true);
  });

  it('stops the thread when the database is closed', async () => {
    dataSource = await openDatabase(
      { type: 'sqlite', path: path.join(dir, 'closed.sqlite') },
      { migrate: true },
    );
    const started = Date.now();
    await dataSource.destroy();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
