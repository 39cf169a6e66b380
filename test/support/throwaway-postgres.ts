// A PostgreSQL cluster of a test's own (initdb + pg_ctl from /usr/lib/postgresql/*/bin, in a temporary folder, on a
// free loopback port), so a test can stop and start it to inject faults without touching anyone else's database.
// PostgreSQL refuses to run as root: as root, the cluster's files belong to the `postgres` user and its programs run
// as that user (runuser).
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const POSTGRES_ROOT = '/usr/lib/postgresql';

/** The newest installed PostgreSQL's bin folder with initdb and pg_ctl, or why there is none. */
export function findPostgresBinaries(): { bin: string } | { missing: string } {
  let versions: string[];
  try {
    versions = fs.readdirSync(POSTGRES_ROOT).sort((a, b) => Number(b) - Number(a));
  } catch {
    return { missing: `no PostgreSQL under ${POSTGRES_ROOT}` };
  }
  for (const version of versions) {
    const bin = path.join(POSTGRES_ROOT, version, 'bin');
    if (['initdb', 'pg_ctl', 'postgres'].every((program) => fs.existsSync(path.join(bin, program)))) {
      return { bin };
    }
  }
  return { missing: `no initdb and pg_ctl under ${POSTGRES_ROOT}/*/bin` };
}

function postgresUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export class ThrowawayPostgres {
  private running = false;
  private readonly onExit = () => this.stopNow();

  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    readonly port: number,
    private readonly asPostgres: boolean,
  ) {}

  /** Creates a cluster (trust authentication, user `postgres`) and starts it. */
  static async create(): Promise<ThrowawayPostgres> {
    const found = findPostgresBinaries();
    if ('missing' in found) throw new Error(found.missing);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sn-throwaway-pg-'));
    const user = postgresUser();
    if (user) fs.chownSync(dir, user.uid, user.gid);
    const cluster = new ThrowawayPostgres(found.bin, dir, await freePort(), user !== null);
    process.once('exit', cluster.onExit);
    try {
      await cluster.exec('initdb', ['-D', cluster.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
      await cluster.start();
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
    return cluster;
  }

  /** An admin URL of the cluster (database `postgres`). */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  async start(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      "-c listen_addresses='127.0.0.1'",
      `-c unix_socket_directories='${this.dir}'`,
      '-c fsync=off',
      '-c max_connections=100',
    ].join(' ');
    await this.exec('pg_ctl', [
      'start',
      '-w',
      '-t',
      '60',
      '-D',
      this.dataDir,
      '-l',
      path.join(this.dir, 'log'),
      '-o',
      options,
    ]);
    this.running = true;
  }

  /** Stops the server: `fast` ends every connection at once; `immediate` is a crash. */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.exec('pg_ctl', ['stop', '-w', '-t', '60', '-m', mode, '-D', this.dataDir]);
    this.running = false;
  }

  /** Stops the server if it runs and removes its files. */
  async destroy(): Promise<void> {
    process.removeListener('exit', this.onExit);
    if (this.running) await this.stop('immediate').catch(() => undefined);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** On an exit that skipped destroy: no server outlives the test run. */
  private stopNow(): void {
    if (!this.running) return;
    try {
      execFileSync(...this.command('pg_ctl', ['stop', '-m', 'immediate', '-D', this.dataDir]), {
        stdio: 'ignore',
      });
    } catch {
      // Already gone.
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private command(program: string, args: string[]): [string, string[]] {
    const file = path.join(this.bin, program);
    return this.asPostgres ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  }

  private async exec(program: string, args: string[]): Promise<void> {
    const [file, argv] = this.command(program, args);
    try {
      await run(file, argv, { cwd: this.dir, timeout: 90_000 });
    } catch (error) {
      const log = path.join(this.dir, 'log');
      const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-2000) : '';
      throw new Error(`${program} ${args[0]} failed: ${(error as Error).message}\n${tail}`, { cause: error });
    }
  }
}
