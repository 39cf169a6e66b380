// The page while its server is stopped and started again, in Chromium: it says it is offline, and once the server is
// back the banner goes, every view reads its data again, and the inbox has what was published meanwhile.
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { CreateStackDocument, PublishEventDocument } from '../generated/graphql';
import { browserAvailable } from '../helpers/browser';
import { bootstrapAccount } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { dataOf, graphqlRequest } from '../helpers/graphql';
import { startServerProcess, type ServiceProcess } from '../helpers/processes';
import { buildPageIfStale } from './build-page';
import {
  collectPageProblems,
  launchPageBrowser,
  screenshot,
  seriousAccessibilityViolations,
  type PageBrowser,
} from './page-browser';

const available = browserAvailable();
const test = available ? it : it.skip;
const TOKEN_KEY = 'stack-notifications:token';
// What the browser logs while the server stops and is away: a request cut off by the stop, refusals, and the
// service worker's update check that could not fetch its script.
const REFUSED_WHILE_DOWN =
  /WebSocket connection to .* failed|net::ERR_CONNECTION_(REFUSED|RESET)|net::ERR_EMPTY_RESPONSE|An unknown error occurred when fetching the script/;
const OFFLINE = 'Offline — reconnecting';

let browser: PageBrowser;
let database: TestDatabase;
let env: Record<string, string>;
const running = new Set<ServiceProcess>();

beforeAll(async () => {
  if (!available) return;
  buildPageIfStale();
  database = await createTestDatabase();
  env = {
    DATABASE_URL: database.url,
    DATA_DIR: database.dir,
    LOG_LEVEL: 'warn',
    SHUTDOWN_TIMEOUT_MS: '2000',
  };
  browser = await launchPageBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([...running].map((process) => process.stop('SIGKILL')));
  await database?.drop();
});

async function startServer(port = '0'): Promise<ServiceProcess> {
  const process = await startServerProcess({ ...env, PORT: port });
  running.add(process);
  void process.exited.then(() => running.delete(process));
  return process;
}

async function publish(url: string, token: string, stackId: string, job: string): Promise<string> {
  const { publishEvent } = dataOf(
    await graphqlRequest(
      url,
      PublishEventDocument,
      { input: { stackId, eventType: 'JOB_FAIL', data: { job } } },
      token,
    ),
  );
  return publishEvent.id;
}

function shows(page: Page, id: string, timeout: number): Promise<boolean> {
  return page
    .locator(`[data-notification-id="${id}"]`)
    .waitFor({ timeout })
    .then(
      () => true,
      () => false,
    );
}

describe('the page while its server is down', () => {
  test('says it is offline, and once the server is back catches up without a reload', async () => {
    const { token } = await bootstrapAccount(env, `page-offline-${randomBytes(3).toString('hex')}`);
    let server = await startServer();
    const { port, origin } = new URL(server.url);
    const { createStack: stack } = dataOf(
      await graphqlRequest(
        server.url,
        CreateStackDocument,
        { input: { name: 'shop', environment: 'production' } },
        token,
      ),
    );

    const page = await browser.context.newPage();
    const problems = collectPageProblems(page);
    await page.goto(`${origin}/`);
    await page.evaluate(([key, value]) => localStorage.setItem(key, value), [TOKEN_KEY, token] as const);
    await page.goto(`${origin}/stacks/${stack.id}/notifications`);
    const liveBy = Date.now() + 15_000;
    for (
      let count = 0;
      !(await shows(page, await publish(server.url, token, stack.id, `warm-up-${count}`), 500));
      count++
    ) {
      if (Date.now() > liveBy) throw new Error('no notification came through live within 15 s');
    }
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    expect(await page.getByText(OFFLINE).count()).toBe(0);

    await server.stop('SIGTERM');
    await page.getByRole('status').filter({ hasText: OFFLINE }).waitFor({ timeout: 15_000 });
    // A view opened while the server is down says so...
    await page.getByRole('link', { name: 'Deliveries' }).click();
    await page.getByText("Can't reach the server").first().waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'offline');

    // ...while an event is published through another process on the same database.
    const other = await startServer();
    const whileDown = await publish(other.url, token, stack.id, 'published-while-down');
    await other.stop('SIGTERM');

    server = await startServer(port);
    await page.getByText(OFFLINE).waitFor({ state: 'detached', timeout: 30_000 });
    // ...and reads its data again once it is back, with no click.
    await page.getByText("Can't reach the server").first().waitFor({ state: 'detached', timeout: 10_000 });
    await page
      .getByRole('heading', { name: 'Deliveries' })
      .or(page.locator('.delivery').first())
      .first()
      .waitFor();
    expect(await shows(page, whileDown, 15_000)).toBe(true);
    const afterRestart = await publish(server.url, token, stack.id, 'published-after');
    expect(await shows(page, afterRestart, 15_000)).toBe(true);
    expect(await page.locator(`[data-notification-id="${whileDown}"]`).count()).toBe(1);
    expect(await page.getByText('Live updates stopped').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(
      true,
    );
    await screenshot(page, 'back-online');

    expect(problems.filter((problem) => !REFUSED_WHILE_DOWN.test(problem))).toEqual([]);
    await page.close();
    await server.stop('SIGTERM');
  }, 120_000);
});
