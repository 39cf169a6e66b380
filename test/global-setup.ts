// Builds dist/ once per test run, for the tests that start the server and workers as real processes, and finds out
// once whether the PostgreSQL and Redis of the scale-out tests are there.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { recordServices } from './helpers/services';

export default function globalSetup(): void {
  const root = path.resolve(__dirname, '..');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  recordServices();
}
