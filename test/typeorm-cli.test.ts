// TypeORM's own CLI on the built ormconfig.js (dist/, which test/global-setup.ts builds): it finds the database
// through DATABASE_URL as the service does and lists the service's migrations, pending or applied.
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { parseDatabaseUrl } from '../src/config';
import { openDatabase } from '../src/db/data-source';
import { migrations } from '../src/db/migrations';
import { createTestDatabase, type TestDatabase } from './helpers/database';

const root = path.resolve(__dirname, '..');
const migrationNames = migrations.map((migration) => new migration().name ?? migration.name);

async function migrationShow(database: TestDatabase): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      path.join(root, 'node_modules/typeorm/cli.js'),
      'migration:show',
      '-d',
      path.join(root, 'dist/ormconfig.js'),
    ],
    // A neutral working directory, so nothing the command writes by default can land in the repository.
    { cwd: os.tmpdir(), env: { ...process.env, DATABASE_URL: database.url, DATA_DIR: database.dir } },
  );
  // Under CI the CLI colours its output.
  return stripVTControlCharacters(stdout);
}

describe('the TypeORM CLI with ormconfig.js', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await database?.drop();
  });

  it('lists every migration of the service as pending on an empty database', async () => {
    const lines = (await migrationShow(database)).trim().split('\n');
    expect(lines).toEqual(migrationNames.map((name) => `[ ] ${name}`));
  });

  it('lists them as applied once the service has migrated the database', async () => {
    const dataSource = await openDatabase(parseDatabaseUrl(database.url, database.dir), { migrate: true });
    await dataSource.destroy();
    const lines = (await migrationShow(database)).trim().split('\n');
    expect(lines).toEqual(migrationNames.map((name, index) => `[X] ${index + 1} ${name}`));
  });
});
