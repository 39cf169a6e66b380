// The Deliveries view in Chromium, against the real server and real channel peers on loopback: compact rows that open
// by keyboard to what was sent and what came back, filters in the address, human statuses and plain-word errors, live
// updates without Refresh (and no polling storm), bulk redelivery, and what members and other accounts get.
import { createServer } from 'node:net';
import type { Page, Request, WebSocketRoute } from 'playwright-core';
import { Scope } from '../../src/modules/accounts/api-token.entity';
import { Role } from '../../src/modules/accounts/user.entity';
import {
  CreateChannelDocument,
  PublishEventDocument,
  RedeliverDocument,
  SetQuietHoursDocument,
  StackDeliveriesDocument,
  type ChannelInput,
  type DeliveryStatus,
  type EventType,
} from '../generated/graphql';
import { browserAvailable } from '../helpers/browser';
import { startChannelPeers, type ChannelPeers } from '../helpers/channel-peers';
import { dataOf } from '../helpers/graphql';
import { startTestServer, type Session, type TestServer } from '../helpers/server';
import { createStack } from '../helpers/settings-fixtures';
import { buildPageIfStale } from './build-page';
import {
  collectPageProblems,
  DESKTOP,
  launchPageBrowser,
  PHONE,
  screenshot,
  seriousAccessibilityViolations,
  waitForSubscriptions,
  type PageBrowser,
} from './page-browser';

const available = browserAvailable();
const test = available ? it : it.skip;
const TOKEN_KEY = 'stack-notifications:token';

let peers: ChannelPeers;
let server: TestServer;
let browser: PageBrowser;
let origin: string;

beforeAll(async () => {
  if (!available) return;
  buildPageIfStale();
  peers = await startChannelPeers();
  server = await startTestServer({
    ...peers.env,
    // A failure is tried once more within 2 s, then the delivery gives up (DEAD).
    DELIVERY_RETRY_SCHEDULE: '0,2',
    DELIVERY_POLL_INTERVAL_MS: '50',
  });
  origin = new URL(server.url).origin;
  browser = await launchPageBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await peers?.close();
});

interface OpenedPage {
  page: Page;
  problems: string[];
}

async function openPage(
  path: string,
  token: string,
  before?: (page: Page) => Promise<void>,
): Promise<OpenedPage> {
  const page = await browser.context.newPage();
  await page.setViewportSize(DESKTOP);
  const problems = collectPageProblems(page);
  if (before) await before(page);
  await page.goto(`${origin}/`);
  await page.evaluate(([key, value]) => localStorage.setItem(key, value), [TOKEN_KEY, token] as const);
  await page.goto(`${origin}${path}`);
  return { page, problems };
}

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function publish(
  session: Session,
  stackId: string,
  eventType: EventType,
  data: Record<string, unknown>,
) {
  const publisher = await server.createToken(session, [Scope.EVENTS_PUBLISH]);
  return dataOf(
    await server.request(PublishEventDocument, { input: { stackId, eventType, data } }, publisher),
  ).publishEvent;
}

async function createChannel(session: Session, stackId: string, input: ChannelInput) {
  return dataOf(await server.request(CreateChannelDocument, { stackId, input }, session.token)).createChannel;
}

/** A stack with a Slack channel "Slack #deploys" and a webhook "Orders hook", both answered by the peers. */
async function stackWithChannels(owner: Session, name: string) {
  const stackId = await createStack(server, owner, name);
  const slack = await createChannel(owner, stackId, {
    name: 'Slack #deploys',
    slack: { url: peers.slack.url, channel: '#deploys' },
  });
  const webhook = await createChannel(owner, stackId, {
    name: 'Orders hook',
    webhook: { url: peers.webhook.url },
  });
  peers.webhook.useSecrets([webhook.signingSecret!]);
  return { stackId, slackId: slack.channel.channelId!, webhookId: webhook.channel.channelId! };
}

/** The stack's webhook deliveries' statuses, newest first, as the API has them. */
async function webhookStatuses(owner: Session, stackId: string): Promise<DeliveryStatus[]> {
  const { stack } = dataOf(
    await server.request(
      StackDeliveriesDocument,
      { id: stackId, channel: 'WEBHOOK', first: 50 },
      owner.token,
    ),
  );
  return stack.deliveries.edges.map((edge) => edge.node.status);
}

function row(page: Page, channel: string) {
  return page.locator('.delivery', { has: page.locator('.delivery-channel', { hasText: channel }) });
}

/** The page's reads of the delivery log's first page, counted as they are sent. */
function countLogReads(page: Page): { count: () => number } {
  let reads = 0;
  page.on('request', (request: Request) => {
    if (request.method() === 'POST' && request.postData()?.includes('query StackDeliveries')) reads += 1;
  });
  return { count: () => reads };
}

async function expectFitsWidth(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({
    content: document.documentElement.scrollWidth,
    viewport: document.documentElement.clientWidth,
  }));
  expect(widths.content).toBeLessThanOrEqual(widths.viewport);
}

describe('the Deliveries view', () => {
  test('shows compact rows that open by keyboard to the request as sent and the answer', async () => {
    const owner = await server.createAccount();
    const { stackId } = await stackWithChannels(owner, 'orders');
    peers.webhook.script(
      { status: 500, headers: { 'content-type': 'text/plain' }, body: 'receiver broke' },
      { status: 500, headers: { 'content-type': 'text/plain' }, body: 'receiver broke again' },
    );
    const notification = await publish(owner, stackId, 'JOB_FAIL', { job: 'nightly-backup' });
    await eventually(
      () => webhookStatuses(owner, stackId),
      (statuses) => statuses[0] === 'DEAD',
    );

    const { page, problems } = await openPage(`/stacks/${stackId}/deliveries`, owner.token);
    const webhook = row(page, 'Orders hook');
    await webhook.locator('.status', { hasText: 'Gave up' }).waitFor();
    const slack = row(page, 'Slack #deploys');
    await slack.locator('.status', { hasText: 'Delivered' }).waitFor();
    await row(page, 'Email').locator('.status', { hasText: 'Delivered' }).waitFor();
    // Each row: status, channel, the event's human name, target, relative time, attempts; closed.
    const webhookText = (await webhook.locator('.delivery-row').textContent()) ?? '';
    expect(webhookText).toContain('Job run failed');
    expect(webhookText).toContain(new URL(peers.webhook.url).host);
    expect(webhookText).toContain('just now');
    expect(webhookText).toContain('2 attempts');
    expect(webhookText).not.toContain('DEAD');
    expect(await webhook.locator('.delivery-reason').textContent()).toBe(
      'The receiver had a problem of its own (500 Internal Server Error)',
    );
    expect(await page.locator('.attempt').count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'deliveries-rows');

    // Opened and closed again from the keyboard.
    const toggle = webhook.locator('.delivery-toggle');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const details = page.locator(`#${(await toggle.getAttribute('aria-controls'))!}`);
    await details.getByText('receiver broke again').waitFor();
    const attempts = details.locator('.attempt');
    expect(await attempts.count()).toBe(2);
    const first = attempts.nth(0);
    expect(await first.locator('.plain-error').textContent()).toBe(
      'The receiver had a problem of its own (500 Internal Server Error)',
    );
    expect(await first.locator('.raw-error').textContent()).toBe('HTTP 500 Internal Server Error');
    // The request as sent: method, URL (its secret part as a hint), headers (the signature masked), body.
    const requestLine = (await first.locator('.request-line').first().textContent()) ?? '';
    expect(requestLine).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\//);
    await first.getByText('Request headers').click();
    const headers = (await first.locator('.headers dl').first().textContent()) ?? '';
    expect(headers).toContain('webhook-id');
    expect(headers).toContain(notification.id);
    expect(headers).toMatch(/webhook-signaturev1,…/);
    const requestBody = (await first.locator('.exchange-body').first().textContent()) ?? '';
    expect(JSON.parse(requestBody)).toMatchObject({ id: notification.id, eventKey: 'job.fail' });
    // The answer: status with its meaning, headers, body.
    expect(await first.getByText('500 Internal Server Error', { exact: true }).count()).toBe(1);
    expect(await first.locator('.exchange-body').nth(1).textContent()).toBe('receiver broke');
    expect(await first.getByText('Response headers (', { exact: false }).count()).toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'deliveries-opened');

    // The body box scrolls, so the keyboard reaches it.
    expect(await first.locator('.exchange-body').first().getAttribute('tabindex')).toBe('0');
    await toggle.focus();
    await page.keyboard.press('Space');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('.attempt').count()).toBe(0);

    await toggle.click();
    await details.getByText('receiver broke again').waitFor();
    await page.setViewportSize(PHONE);
    await expectFitsWidth(page);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'deliveries-opened-phone');
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  test('filters by channel and status in the address, so a link opens the view filtered', async () => {
    const owner = await server.createAccount();
    const { stackId, webhookId, slackId } = await stackWithChannels(owner, 'billing');
    peers.webhook.script({ status: 404, body: 'no such hook' });
    await publish(owner, stackId, 'JOB_FAIL', { job: 'invoices' });
    await eventually(
      () => webhookStatuses(owner, stackId),
      (statuses) => statuses[0] === 'FAILED',
    );

    // A channel card's link: the channel's deliveries only.
    const { page, problems } = await openPage(
      `/stacks/${stackId}/deliveries?channelId=${webhookId}`,
      owner.token,
    );
    const channelFilter = page.getByLabel('Channel', { exact: true });
    const statusFilter = page.getByLabel('Status', { exact: true });
    await row(page, 'Orders hook').locator('.status', { hasText: 'Failed — not retried' }).waitFor();
    await page.locator('#delivery-channel-filter option:checked', { hasText: 'Orders hook' }).waitFor({
      state: 'attached',
    });
    expect(await page.locator('.delivery').count()).toBe(1);
    expect(await row(page, 'Orders hook').locator('.delivery-reason').textContent()).toBe(
      "Nothing was found at the receiver's address (404 Not Found)",
    );
    expect(
      await page.getByRole('button', { name: 'Redeliver all that gave up on Orders hook' }).count(),
    ).toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'deliveries-filtered');

    // Each shared channel by name, plus the personal kinds.
    const options = await channelFilter.locator('option').allTextContents();
    expect(options).toEqual(['All channels', 'Slack #deploys', 'Orders hook', 'Email', 'iOS', 'Browser']);

    await statusFilter.selectOption({ label: 'Delivered' });
    await page.getByText('No deliveries match these filters.').waitFor();
    expect(new URL(page.url()).search).toBe(`?channelId=${webhookId}&status=SUCCEEDED`);

    await channelFilter.selectOption({ label: 'Slack #deploys' });
    await row(page, 'Slack #deploys').waitFor();
    expect(new URL(page.url()).search).toBe(`?channelId=${slackId}&status=SUCCEEDED`);
    await channelFilter.selectOption({ label: 'Email' });
    await row(page, 'Email').waitFor();
    expect(await page.locator('.delivery').count()).toBe(1);
    expect(new URL(page.url()).search).toBe('?channel=EMAIL&status=SUCCEEDED');

    // The address holds the filter: a reload shows the same.
    await page.reload();
    await row(page, 'Email').waitFor();
    expect(await channelFilter.inputValue()).toBe('kind:EMAIL');
    expect(await statusFilter.inputValue()).toBe('SUCCEEDED');
    await statusFilter.selectOption({ label: 'All statuses' });
    await channelFilter.selectOption({ label: 'All channels' });
    await eventually(
      () => page.locator('.delivery').count(),
      (count) => count === 3,
    );
    expect(new URL(page.url()).search).toBe('');

    // A link with values that are not the API's opens the whole log.
    await page.goto(`${origin}/stacks/${stackId}/deliveries?status=%3Cscript%3E&channel=FAX`);
    await eventually(
      () => page.locator('.delivery').count(),
      (count) => count === 3,
    );
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  test('shows new deliveries and changed statuses without Refresh, reading the log only when needed', async () => {
    const owner = await server.createAccount();
    const { stackId } = await stackWithChannels(owner, 'checkout');
    const { page, problems } = await openPage(`/stacks/${stackId}/deliveries`, owner.token);
    await page.getByText('No deliveries yet', { exact: false }).waitFor();
    await waitForSubscriptions(origin);
    const reads = countLogReads(page);

    // The webhook fails once, then takes it: "Failed — will retry", then "Delivered", without a click.
    peers.webhook.script({ status: 503, body: 'busy' });
    await publish(owner, stackId, 'JOB_FAIL', { job: 'payments' });
    const webhook = row(page, 'Orders hook');
    await webhook.waitFor({ timeout: 10_000 });
    await webhook.locator('.status', { hasText: 'Delivered' }).waitFor({ timeout: 15_000 });
    expect(await webhook.locator('.delivery-row').textContent()).toContain('2 attempts');
    await row(page, 'Slack #deploys').locator('.status', { hasText: 'Delivered' }).waitFor();
    await row(page, 'Email').locator('.status', { hasText: 'Delivered' }).waitFor();

    // A burst of events costs a few reads, not one per event.
    const before = reads.count();
    let last = '';
    for (let i = 0; i < 10; i += 1)
      last = (await publish(owner, stackId, 'JOB_FAIL', { job: `burst-${i}` })).id;
    await page.locator(`[data-notification-id="${last}"]`).waitFor();
    const lastRows = page.locator('.delivery', { hasText: 'job burst-9' });
    await eventually(
      () => lastRows.locator('.status', { hasText: 'Delivered' }).count(),
      (count) => count === 3,
    );
    expect(await page.locator('.delivery').count()).toBe(20);
    const burstReads = reads.count() - before;
    expect(burstReads).toBeLessThanOrEqual(8);

    // Nothing waiting, nothing published: once the last read is in, the page reads nothing.
    await page.waitForTimeout(1500);
    const idle = reads.count();
    await page.waitForTimeout(3000);
    expect(reads.count()).toBe(idle);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  test('reads the log again by itself after its live connection comes back', async () => {
    const owner = await server.createAccount();
    const { stackId } = await stackWithChannels(owner, 'warehouse');
    peers.webhook.script({ status: 500, body: 'down' }, { status: 500, body: 'still down' });
    await publish(owner, stackId, 'JOB_FAIL', { job: 'restock' });
    await eventually(
      () => webhookStatuses(owner, stackId),
      (statuses) => statuses[0] === 'DEAD',
    );
    const sockets: WebSocketRoute[] = [];
    let refuse = false;
    const { page, problems } = await openPage(`/stacks/${stackId}/deliveries`, owner.token, (opened) =>
      opened.routeWebSocket(/\/graphql/, (socket) => {
        if (refuse) {
          void socket.close({ code: 1012, reason: 'restarting' });
          return;
        }
        socket.connectToServer();
        sockets.push(socket);
      }),
    );
    const webhook = row(page, 'Orders hook');
    await webhook.locator('.status', { hasText: 'Gave up' }).waitFor();
    await waitForSubscriptions(origin);

    // The connection drops; meanwhile the delivery is sent again from elsewhere and gets through.
    refuse = true;
    await Promise.all(sockets.map((socket) => socket.close({ code: 1012, reason: 'restarting' })));
    const { stack } = dataOf(
      await server.request(StackDeliveriesDocument, { id: stackId, channel: 'WEBHOOK' }, owner.token),
    );
    dataOf(
      await server.request(RedeliverDocument, { deliveryId: stack.deliveries.edges[0].node.id }, owner.token),
    );
    await eventually(
      () => webhookStatuses(owner, stackId),
      (statuses) => statuses[0] === 'SUCCEEDED',
    );
    refuse = false;
    await webhook.locator('.status', { hasText: 'Delivered' }).waitFor({ timeout: 20_000 });
    expect(
      problems.filter((problem) => !/WebSocket|ERR_CONNECTION|status of 1012|restarting/.test(problem)),
    ).toEqual([]);
    await page.close();
  }, 90_000);

  test('redelivers selected deliveries and all that gave up on a channel, and says what it started', async () => {
    const owner = await server.createAccount();
    const { stackId, webhookId } = await stackWithChannels(owner, 'shipping');
    peers.webhook.script(...Array.from({ length: 6 }, () => ({ status: 500, body: 'broken' })));
    for (const job of ['a', 'b', 'c']) await publish(owner, stackId, 'JOB_FAIL', { job });
    await eventually(
      () => webhookStatuses(owner, stackId),
      (statuses) => statuses.length === 3 && statuses.every((status) => status === 'DEAD'),
    );

    const { page, problems } = await openPage(`/stacks/${stackId}/deliveries?status=DEAD`, owner.token);
    const rows = page.locator('.delivery');
    await eventually(
      () => rows.count(),
      (count) => count === 3,
    );
    await rows.nth(0).getByRole('checkbox').check();
    await rows.nth(1).getByRole('checkbox').check();
    await page.getByText('2 deliveries selected').waitFor();
    expect(await page.getByRole('button', { name: 'Select all 3 shown' }).count()).toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'deliveries-selected');
    await page.getByRole('button', { name: 'Redeliver selected' }).click();
    await page.getByRole('status').filter({ hasText: 'Started 2 deliveries over.' }).waitFor();
    await eventually(
      () => webhookStatuses(owner, stackId),
      (statuses) => statuses.filter((status) => status === 'SUCCEEDED').length === 2,
    );

    // The one left, by "all that gave up on this channel", after a confirmation.
    await page.goto(`${origin}/stacks/${stackId}/deliveries?channelId=${webhookId}`);
    await page.getByRole('button', { name: 'Redeliver all that gave up on Orders hook' }).click();
    const dialog = page.getByRole('dialog', { name: 'Redeliver all that gave up?' });
    await dialog.waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Redeliver them' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Started 1 delivery that gave up on Orders hook over.' })
      .waitFor();
    await eventually(
      () => page.locator('.status', { hasText: 'Delivered' }).count(),
      (count) => count === 3,
    );
    expect(await page.locator('.status', { hasText: 'Gave up' }).count()).toBe(0);

    // Nothing left: said so.
    await page.getByRole('button', { name: 'Redeliver all that gave up on Orders hook' }).click();
    await dialog.getByRole('button', { name: 'Redeliver them' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Nothing to redeliver: no delivery on Orders hook gave up.' })
      .waitFor();
    await page.setViewportSize(PHONE);
    await expectFitsWidth(page);
    await screenshot(page, 'deliveries-redelivered-phone');
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  test("offers a member only their own deliveries to redeliver, and shows nothing of another account's", async () => {
    const owner = await server.createAccount();
    const { stackId, webhookId } = await stackWithChannels(owner, 'payroll');
    const member = await server.addUser(owner, Role.MEMBER);
    // An answer longer than the log keeps: it is cut at 64 KiB, and the page says so.
    peers.webhook.script({ status: 400, body: `bad ${'x'.repeat(70 * 1024)}` });
    await publish(owner, stackId, 'JOB_FAIL', { job: 'salaries' });
    await eventually(
      () => webhookStatuses(owner, stackId),
      (statuses) => statuses[0] === 'FAILED',
    );

    const { page, problems } = await openPage(`/stacks/${stackId}/deliveries`, member.token);
    const webhook = row(page, 'Orders hook');
    await webhook.locator('.status', { hasText: 'Failed — not retried' }).waitFor();
    expect(await webhook.getByRole('checkbox').count()).toBe(0);
    await webhook.locator('.delivery-toggle').click();
    await webhook.locator('.attempt').waitFor();
    expect(await webhook.getByRole('button', { name: /^Redeliver/ }).count()).toBe(0);
    await webhook.getByText('Truncated: only the first 64 KiB were kept.').waitFor();
    expect(await webhook.getByRole('group', { name: 'Response body (truncated)' }).count()).toBe(1);
    await page.getByLabel('Channel', { exact: true }).selectOption({ label: 'Orders hook' });
    await page.waitForURL(/channelId=/);
    expect(await page.getByRole('button', { name: /^Redeliver all/ }).count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Another account: its own stack with this account's channel id shows nothing; this stack is not found.
    const stranger = await server.createAccount();
    const strangerStack = await createStack(server, stranger, 'elsewhere');
    await publish(stranger, strangerStack, 'JOB_FAIL', { job: 'theirs' });
    const other = await openPage(
      `/stacks/${strangerStack}/deliveries?channelId=${webhookId}`,
      stranger.token,
    );
    await other.page.getByText('No deliveries match these filters.').waitFor();
    expect(await other.page.getByLabel('Channel', { exact: true }).inputValue()).toBe(`id:${webhookId}`);
    expect(await other.page.locator('#delivery-channel-filter option:checked').textContent()).toBe(
      'A removed channel',
    );
    await other.page.goto(`${origin}/stacks/${stackId}/deliveries`);
    await other.page.getByRole('heading', { name: 'Stack not found' }).waitFor();
    expect(await other.page.locator('.delivery').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
    await other.page.close();
  }, 90_000);

  test('says why a delivery waits: held for quiet hours until the window ends, and filters by that reason', async () => {
    const owner = await server.createAccount();
    const { stackId } = await stackWithChannels(owner, 'nightly');
    // Quiet hours around now (UTC), so the owner's email waits for their end.
    const hhmm = (offsetHours: number) =>
      new Date(Date.now() + offsetHours * 3_600_000).toISOString().slice(11, 16);
    dataOf(
      await server.request(
        SetQuietHoursDocument,
        { input: { timeZone: 'UTC', start: hhmm(-1), end: hhmm(1) } },
        owner.token,
      ),
    );
    await publish(owner, stackId, 'JOB_FAIL', { job: 'reports' });

    const { page, problems } = await openPage(`/stacks/${stackId}/deliveries`, owner.token);
    const held = page.locator('.delivery', {
      has: page.locator('.status', { hasText: 'Held for quiet hours' }),
    });
    await held.waitFor();
    expect(await held.locator('.delivery-channel').textContent()).toBe('Email');
    expect(await held.locator('.delivery-row').textContent()).toContain('not tried yet');
    expect(await held.getByRole('checkbox').count()).toBe(0);
    await held.locator('.delivery-toggle').click();
    await held.getByText('Held until').waitFor();
    // The summary it will go out in waits for the window's end too (it counts what it carries then).
    const summary = page.locator('.delivery', { hasText: 'Quiet-hours summary' });
    expect(await summary.locator('.status').textContent()).toBe('Waiting');
    await page
      .getByLabel('Status', { exact: true })
      .selectOption({ label: 'Quiet hours (held and summaries)' });
    await page.waitForURL(/heldReason=HELD_QUIET_HOURS/);
    await eventually(
      () => page.locator('.delivery').count(),
      (count) => count === 2,
    );
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'deliveries-held');
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  test('explains a transport error in plain words with the raw text beneath', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner, 'legacy');
    // A port nothing listens on: the connection is refused.
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    await createChannel(owner, stackId, {
      name: 'Old hook',
      webhook: { url: `http://127.0.0.1:${closed}/hook` },
    });
    await publish(owner, stackId, 'JOB_FAIL', { job: 'archive' });

    const { page, problems } = await openPage(`/stacks/${stackId}/deliveries`, owner.token);
    const hook = row(page, 'Old hook');
    await hook.locator('.status', { hasText: 'Gave up' }).waitFor({ timeout: 15_000 });
    expect(await hook.locator('.delivery-reason').textContent()).toBe(
      `The receiver at 127.0.0.1:${closed} refused the connection`,
    );
    await hook.locator('.delivery-toggle').click();
    const first = hook.locator('.attempt').first();
    expect(await first.locator('.plain-error').textContent()).toBe(
      `The receiver at 127.0.0.1:${closed} refused the connection`,
    );
    expect(await first.locator('.raw-error').textContent()).toContain(`ECONNREFUSED 127.0.0.1:${closed}`);
    await first.getByText('No answer came.').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'deliveries-transport-error');
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);
});
