// Runs the built command line against a database, as an operator would.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..', '..');

export async function runCli(args: string[], env: Record<string, string>): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [path.join(ROOT, 'dist', 'src', 'cli.js'), ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
    },
  );
  return stdout;
}

/** A new account with an OWNER, through `bootstrap --json`. */
export async function bootstrapAccount(
  env: Record<string, string>,
  account: string,
  email = `owner@${account}.test`,
): Promise<{ accountId: string; userId: string; token: string }> {
  return JSON.parse(await runCli(['bootstrap', '--account', account, '--email', email, '--json'], env)) as {
    accountId: string;
    userId: string;
    token: string;
  };
}
