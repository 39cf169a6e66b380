// The database half of /readyz, shared by the API and worker processes. A database that drops packets instead of
// refusing connections would otherwise keep the probe waiting until the load balancer gives up on it.
import type { DataSource } from 'typeorm';

export const READINESS_TIMEOUT_MS = 2_000;

export async function databaseChecks(
  dataSource: DataSource,
  timeoutMs = READINESS_TIMEOUT_MS,
): Promise<Record<string, string>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  const checks: Record<string, string> = {};
  try {
    await Promise.race([dataSource.query('SELECT 1'), deadline]);
    checks.database = 'ok';
    checks.migrations = (await Promise.race([dataSource.showMigrations(), deadline])) ? 'pending' : 'ok';
  } catch (error) {
    checks.database = `unreachable: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    clearTimeout(timer);
  }
  return checks;
}
