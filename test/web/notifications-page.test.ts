// The stack notifications page in Debian's Chromium, against the real server with a fresh database and real channel
// peers: sign-in, the grid, a webhook set up and tested, deliveries, live notifications in the sidebar and as
// browser notifications, and Web Push shown by the service worker while the page is closed.
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { ApiToken, Scope } from '../../src/modules/accounts/api-token.entity';
import { hashToken } from '../../src/modules/accounts/tokens.service';
import { Role } from '../../src/modules/accounts/user.entity';
import { writeLocalToken } from '../../src/playground';
import {
  ConfigureWebhookDocument,
  CreateStackDocument,
  PublishEventDocument,
  RemoveChannelDocument,
  RevokeApiTokenDocument,
  SetUserRoleDocument,
  StackChannelsDocument,
  StackNotificationsDocument,
  StackPreferencesDocument,
  type EventType,
} from '../generated/graphql';
import { browserAvailable } from '../helpers/browser';
import { startChannelPeers, type ChannelPeers } from '../helpers/channel-peers';
import { bootstrapAccount } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { dataOf, graphqlRequest } from '../helpers/graphql';
import { startServerProcess, type ServiceProcess } from '../helpers/processes';
import { startTestServer, type Session, type TestServer } from '../helpers/server';
import { createStack } from '../helpers/settings-fixtures';
import { buildPageIfStale } from './build-page';
import {
  activeSubscriptions,
  collectPageProblems,
  DESKTOP,
  launchPageBrowser,
  PHONE,
  screenshot,
  screenshotViewport,
  shownNotifications,
  waitForNotification,
  waitForSubscriptions,
  watchServiceWorkers,
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
    LOCAL_MODE: 'true',
    // One attempt, so a failed delivery is DEAD at once and the deliveries view can redeliver it.
    DELIVERY_RETRY_SCHEDULE: '0',
    DELIVERY_POLL_INTERVAL_MS: '50',
    SHUTDOWN_TIMEOUT_MS: '2000',
  });
  origin = new URL(server.url).origin;
  browser = await launchPageBrowser();
  await browser.context.grantPermissions(['notifications'], { origin });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await peers?.close();
});

interface OpenedPage {
  page: Page;
  /** Console errors and CSP refusals: each test ends expecting none. */
  problems: string[];
}

interface OpenOptions {
  /** Keep what the page stored on earlier visits (e.g. browser notifications switched on). @default cleared */
  keepStorage?: boolean;
  /** Replace the browser's push service with a stub handing out this subscription. */
  push?: PushStub;
}

/** A new tab at `path`, signed in with `token` as the sign-in form leaves it in localStorage. */
async function openPage(path: string, token: string | null, options: OpenOptions = {}): Promise<OpenedPage> {
  const page = await browser.context.newPage();
  if (options.push) await page.addInitScript(stubPushManager, options.push);
  const problems = collectPageProblems(page);
  await page.goto(`${origin}/`);
  await page.evaluate(
    ([key, value, keep]) => {
      if (!keep) localStorage.clear();
      if (value) localStorage.setItem(key, value);
    },
    [TOKEN_KEY, token, options.keepStorage ?? false] as const,
  );
  await page.goto(`${origin}${path}`);
  return { page, problems };
}

async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function cellEnabled(session: Session, stackId: string, eventType: EventType, channel: string) {
  const { stack } = dataOf(await server.request(StackPreferencesDocument, { id: stackId }, session.token));
  const row = stack.preferences.find((candidate) => candidate.eventType === eventType)!;
  return row.cells.find((cell) => cell.channel === channel)!.enabled;
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

async function webPushEndpoints(session: Session, stackId: string): Promise<string[]> {
  const { stack } = dataOf(await server.request(StackChannelsDocument, { id: stackId }, session.token));
  const browserChannel = stack.channels.find((channel) => channel.kind === 'BROWSER');
  return browserChannel && 'webPushSubscriptions' in browserChannel
    ? browserChannel.webPushSubscriptions.map((subscription) => subscription.endpoint)
    : [];
}

/**
 * The server counts a subscription a moment before it listens for events. Warm-up events are published until one
 * comes through live, as a browser notification: events published after it are received live. Returns how many.
 */
async function waitUntilLive(page: Page, session: Session, stackId: string): Promise<number> {
  await waitForSubscriptions(origin);
  const deadline = Date.now() + 10_000;
  for (let published = 1; ; published++) {
    const warmUp = await publish(session, stackId, 'SERVER_BACKON', { server: 'warm-up' });
    if (
      await waitForNotification(page, warmUp.id, 500).then(
        () => true,
        () => false,
      )
    )
      return published;
    if (Date.now() > deadline) throw new Error('no notification came through live within 10 s');
  }
}

/** The page has no horizontal scrolling at this width: nothing sticks out of a 375 px screen. */
async function expectFitsWidth(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({
    content: document.documentElement.scrollWidth,
    viewport: document.documentElement.clientWidth,
  }));
  expect(widths.content).toBeLessThanOrEqual(widths.viewport);
}

/** Publishes until an event shows in the sidebar within half a second: events published from then on arrive live. */
async function waitUntilSidebarLive(page: Page, session: Session, stackId: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const warmUp = await publish(session, stackId, 'SERVER_BACKON', { server: 'warm-up' });
    const shown = await page
      .locator(`[data-notification-id="${warmUp.id}"]`)
      .waitFor({ timeout: 500 })
      .then(
        () => true,
        () => false,
      );
    if (shown) return;
    if (Date.now() > deadline) throw new Error('no notification came through live within 15 s');
  }
}

describe('the stack notifications page in Chromium', () => {
  test('pre-fills the token local mode printed, refuses a wrong one, signs in and out', async () => {
    const owner = await server.createAccount();
    writeLocalToken(server.config.dataDir, owner.token);
    const { page, problems } = await openPage('/', null);
    const tokenField = page.getByLabel('API token');
    expect(await tokenField.inputValue()).toBe(owner.token);
    await screenshot(page, 'sign-in');

    await tokenField.fill('sn_not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('This token is not accepted').waitFor();
    expect(await tokenField.getAttribute('aria-invalid')).toBe('true');

    await tokenField.fill(owner.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'No stacks yet' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'No stacks yet' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await tokenField.waitFor();
    expect(await page.evaluate((key) => localStorage.getItem(key), TOKEN_KEY)).toBeNull();
    // The refused token is the one console error the page may cause: the browser logs the 401.
    expect(problems.filter((problem) => !problem.includes('401'))).toEqual([]);
    await page.close();
  }, 60_000);

  test('follows its token: live again with the new role after a role change, signed out after a revocation', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner, 'shop');
    const admin = await server.addUser(owner, Role.ADMIN);
    const { page, problems } = await openPage(`/stacks/${stackId}/notifications`, admin.token);
    await waitUntilSidebarLive(page, owner, stackId);

    // The server closes the live socket with 4403; the page asks the API, which still accepts the token.
    dataOf(
      await server.request(SetUserRoleDocument, { userId: admin.userId, role: Role.MEMBER }, owner.token),
    );
    await waitUntilSidebarLive(page, owner, stackId);
    expect(await page.getByLabel('API token').count()).toBe(0);

    const token = await server.app.dataSource
      .getRepository(ApiToken)
      .findOneByOrFail({ tokenHash: hashToken(admin.token) });
    dataOf(await server.request(RevokeApiTokenDocument, { id: token.id }, owner.token));
    await page.getByText('Your token is no longer accepted').waitFor();
    expect(await page.evaluate((key) => localStorage.getItem(key), TOKEN_KEY)).toBeNull();
    // The revoked token's refusal is the one console error the page may cause: the browser logs the 401.
    expect(problems.filter((problem) => !problem.includes('401'))).toEqual([]);
    await page.close();
  }, 60_000);

  test('creates a stack; a cell set by mouse or keyboard is saved at once and still set after a reload', async () => {
    const owner = await server.createAccount();
    const { page, problems } = await openPage('/', owner.token);
    await page.getByRole('button', { name: 'Create a stack' }).click();
    const dialog = page.getByRole('dialog', { name: 'New stack' });
    await dialog.getByLabel('Name').fill('shop');
    await dialog.getByRole('button', { name: 'Create stack' }).click();
    await page.waitForURL(/\/stacks\/[^/]+\/notifications$/);
    const stackId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]);

    // A new stack has no shared channel yet: the viewer's Browser, Email and iOS columns.
    const deployByEmail = page.getByRole('checkbox', { name: 'Stack deployment started — Email' });
    await deployByEmail.waitFor();
    expect(await page.getByRole('checkbox').count()).toBe(14 * 3);
    expect(await deployByEmail.isChecked()).toBe(false);
    await deployByEmail.click();
    await eventually(
      () => cellEnabled(owner, stackId, 'STACK_DEPLOY_STARTED', 'EMAIL'),
      (on) => on,
    );

    const jobFailByEmail = page.getByRole('checkbox', { name: 'Job run failed — Email' });
    expect(await jobFailByEmail.isChecked()).toBe(true);
    await jobFailByEmail.focus();
    await page.keyboard.press('Space');
    await eventually(
      () => cellEnabled(owner, stackId, 'JOB_FAIL', 'EMAIL'),
      (on) => !on,
    );
    // An arrow key moves along the row, and the focused cell shows it.
    await page.keyboard.press('ArrowRight');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement;
      const style = getComputedStyle(element);
      return {
        label: element.getAttribute('aria-label'),
        outline: `${style.outlineStyle} ${style.outlineWidth}`,
      };
    });
    expect(focused).toEqual({ label: 'Job run failed — iOS', outline: 'solid 3px' });

    await page.reload();
    await deployByEmail.waitFor();
    expect(await deployByEmail.isChecked()).toBe(true);
    expect(await jobFailByEmail.isChecked()).toBe(false);
    expect(await page.locator('tr', { hasText: 'job.fail' }).first().textContent()).toContain(
      'Job run failed',
    );
    await screenshot(page, 'settings-desktop');

    await page.setViewportSize(PHONE);
    await expectFitsWidth(page);
    await screenshot(page, 'settings-phone');
    await screenshotViewport(page, 'settings-phone-top');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test('flips a cell back and says why when saving it fails', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner, 'api');
    dataOf(
      await server.request(
        ConfigureWebhookDocument,
        { stackId, input: { url: `${peers.webhook.url}/hooks/api` } },
        owner.token,
      ),
    );
    const { page, problems } = await openPage(`/stacks/${stackId}/notifications`, owner.token);

    const shared = page.getByRole('checkbox', { name: 'Job run failed — Webhook' });
    await shared.waitFor();
    expect(await shared.isChecked()).toBe(true);
    // The channel is removed while the page shows it.
    dataOf(await server.request(RemoveChannelDocument, { stackId, kind: 'WEBHOOK' }, owner.token));
    await shared.click();
    await page.locator('td', { has: shared }).getByText('Not saved: this channel is gone').waitFor();
    expect(await shared.isChecked()).toBe(true);

    // A MEMBER may set their own channels' cells, not the stack's shared ones.
    const member = await server.addUser(owner, Role.MEMBER);
    const memberPage = await openPage(`/stacks/${stackId}/notifications`, member.token);
    const personal = memberPage.page.getByRole('checkbox', { name: 'Job run failed — Email' });
    await personal.click();
    await eventually(
      () => cellEnabled(member, stackId, 'JOB_FAIL', 'EMAIL'),
      (on) => !on,
    );
    expect(await memberPage.page.getByRole('button', { name: /^Set up Webhook/ }).count()).toBe(0);
    expect(problems).toEqual([]);
    expect(memberPage.problems).toEqual([]);
    await page.close();
    await memberPage.page.close();
  }, 60_000);

  test('sets up a webhook: the API validation inline, the secret once, and what the test send got back', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner, 'billing');
    const { page, problems } = await openPage(`/stacks/${stackId}/notifications`, owner.token);
    await page.getByRole('button', { name: 'Add a channel' }).click();
    const adding = page.getByRole('dialog', { name: 'Add a channel' });
    await adding.getByRole('radio', { name: 'Webhook' }).check();
    await adding.getByLabel('Endpoint URL').fill('ftp://example.com/hooks');
    await adding.getByRole('button', { name: 'Add Webhook' }).click();
    await adding.locator('.field-error').waitFor();
    expect(await adding.getByLabel('Endpoint URL').getAttribute('aria-invalid')).toBe('true');
    expect(await adding.locator('.field-error').textContent()).not.toContain('input.webhook.url');

    await adding.getByLabel('Endpoint URL').fill(peers.webhook.url);
    await adding.getByRole('button', { name: 'Add Webhook' }).click();
    // Once added, the dialog is the channel's, named after it.
    const dialog = page.getByRole('dialog', { name: 'Webhook' });
    const url = dialog.getByLabel('Endpoint URL');
    const secretField = dialog.getByLabel('Signing secret');
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^whsec_/);
    expect(await url.getAttribute('aria-invalid')).toBeNull();

    peers.webhook.useSecrets([secret]);
    peers.webhook.script({ status: 202, body: 'accepted by the test receiver' });
    await dialog.getByRole('button', { name: 'Send test' }).click();
    const result = dialog.getByTestId('test-result');
    await result.waitFor();
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('Delivered');
    expect(text).toContain('status 202');
    expect(text).toMatch(/\d+ ms/);
    expect(text).toContain('accepted by the test receiver');
    expect(peers.webhook.unverified).toHaveLength(0);
    await screenshotViewport(page, 'webhook-dialog');
    await page.setViewportSize(PHONE);
    await screenshotViewport(page, 'webhook-dialog-phone');
    await page.setViewportSize(DESKTOP);

    // Escape closes the dialog and gives focus back to the button that opened it.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Add a channel');
    expect(await page.getByRole('columnheader', { name: /Webhook/ }).textContent()).not.toContain(
      'not set up',
    );
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test('lists deliveries with every attempt, and redelivers a dead one', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner, 'search');
    const { configureWebhook } = dataOf(
      await server.request(
        ConfigureWebhookDocument,
        { stackId, input: { url: peers.webhook.url } },
        owner.token,
      ),
    );
    peers.webhook.useSecrets([configureWebhook.signingSecret!]);
    peers.webhook.script({ status: 500, body: 'receiver broke' });
    const notification = await publish(owner, stackId, 'JOB_FAIL', { job: 'nightly-backup' });
    await eventually(
      async () => peers.webhook.deliveriesOf(notification.id),
      (count) => count === 1,
    );

    const { page, problems } = await openPage(`/stacks/${stackId}/deliveries`, owner.token);
    const delivery = page.locator('.delivery', { hasText: 'Webhook' });
    await delivery.getByText('Gave up').waitFor();
    await delivery.locator('.delivery-toggle').click();
    await delivery.getByText('receiver broke').waitFor();
    expect(await delivery.locator('.attempt').count()).toBe(1);
    await screenshot(page, 'deliveries-dead');

    await delivery.getByRole('button', { name: /^Redeliver .* by Webhook/ }).click();
    await delivery.locator('.status', { hasText: 'Delivered' }).waitFor({ timeout: 15_000 });
    expect(await delivery.locator('.attempt').count()).toBe(2);
    expect(peers.webhook.deliveriesOf(notification.id)).toBe(2);
    await screenshot(page, 'deliveries');
    await page.setViewportSize(PHONE);
    await expectFitsWidth(page);
    await screenshot(page, 'deliveries-phone');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test('shows older deliveries on demand and keeps them when newer ones push them off the first page', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner, 'archive');
    // Only the owner's email is on for job.fail here: one delivery per event.
    for (let i = 0; i < 25; i += 1) await publish(owner, stackId, 'JOB_FAIL', { job: `job-${i}` });

    const { page, problems } = await openPage(`/stacks/${stackId}/deliveries`, owner.token);
    const rows = page.locator('.delivery');
    const ids = () => rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-delivery-id')));
    await eventually(
      () => rows.count(),
      (count) => count === 20,
    );
    const showOlder = page.getByRole('button', { name: 'Show older deliveries' });
    await showOlder.click();
    await eventually(
      () => rows.count(),
      (count) => count === 25,
    );
    await showOlder.waitFor({ state: 'hidden' });

    for (let i = 25; i < 27; i += 1) await publish(owner, stackId, 'JOB_FAIL', { job: `job-${i}` });
    await page.getByRole('button', { name: 'Refresh' }).click();
    const shown = await eventually(ids, (list) => list.length === 27);
    expect(new Set(shown).size).toBe(27);
    expect(await showOlder.isVisible()).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test('shows published notifications in the sidebar at once and as browser notifications; mark all read', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner, 'shop');
    await eventually(
      () => activeSubscriptions(origin),
      (count) => count === 0,
    );
    const { page, problems } = await openPage(`/stacks/${stackId}/notifications`, owner.token);

    const browserSwitch = page.getByRole('switch', { name: 'Notifications in this browser' });
    await browserSwitch.click();
    await page.locator('[role="switch"][aria-checked="true"]').waitFor();
    const warmUps = await waitUntilLive(page, owner, stackId);

    const redeployed = await publish(owner, stackId, 'STACK_REDEPLOY_OK', {
      commit: '4f2a9c1',
      server: 'web-1',
    });
    const item = page.locator(`[data-notification-id="${redeployed.id}"]`);
    await item.waitFor();
    expect(await item.getAttribute('class')).toContain('is-unread');
    expect(await item.textContent()).toContain('Stack redeployed successfully');
    await page.getByText(`${warmUps + 1} unread`).waitFor();
    const shown = await waitForNotification(page, redeployed.id);
    expect(shown.title).toBe('shop (production): Stack redeployed successfully');
    expect(shown.body).toContain('commit 4f2a9c1');

    // stack.deploy.started's BROWSER cell is off by default: listed, but no browser notification.
    const started = await publish(owner, stackId, 'STACK_DEPLOY_STARTED', { commit: '4f2a9c2' });
    await page.locator(`[data-notification-id="${started.id}"]`).waitFor();
    expect(started.browserAlert).toBe(false);
    const first = page.locator('.notification').first();
    expect(await first.getAttribute('data-notification-id')).toBe(started.id);
    await page.getByText(`${warmUps + 2} unread`).waitFor();
    await page.waitForTimeout(300);
    expect((await shownNotifications(page)).map((notification) => notification.tag)).not.toContain(
      started.id,
    );
    await screenshot(page, 'sidebar-unread');

    await page.getByRole('button', { name: 'Mark all read' }).click();
    await eventually(
      () => item.getAttribute('class'),
      (value) => !value?.includes('is-unread'),
    );
    expect(await page.getByText(/\d+ unread/).count()).toBe(0);
    const { stack } = dataOf(await server.request(StackNotificationsDocument, { id: stackId }, owner.token));
    expect(stack.unreadCount).toBe(0);

    // Headless Chromium has no push service: subscribing never answers, and the page says so after 10 s.
    await page.getByText('did not answer within 10 s').waitFor({ timeout: 20_000 });
    expect(await browserSwitch.getAttribute('aria-checked')).toBe('true');
    await screenshot(page, 'sidebar-read');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test('registers a push subscription, and the service worker shows a push while the page is closed', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner, 'checkout', 'staging');
    // Chromium here reaches no push service, so PushManager hands out a subscription of the test's Web Push peer:
    // the server encrypts to it, and the peer decrypts what a push service would forward to the browser.
    const subscription = peers.webPush.subscribe();
    const serverKey = peers.env.VAPID_PUBLIC_KEY;
    const { page, problems } = await openPage(`/stacks/${stackId}/notifications`, owner.token, {
      push: { subscription, serverKey, subscribed: false },
    });

    // A session on a blank tab: it outlives the stack page, to reach the service worker after the page is closed.
    const blank = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(blank);
    const registrations = await watchServiceWorkers(cdp);

    await page.getByRole('switch', { name: 'Notifications in this browser' }).click();
    await page.getByText('Shown also while this page is closed.').waitFor();
    expect(await page.evaluate(() => (window as unknown as PushStubWindow).pushSubscribeKeys)).toEqual([
      serverKey,
    ]);
    expect(await webPushEndpoints(owner, stackId)).toEqual([subscription.endpoint]);
    const registrationId = await eventually(
      async () => registrations.get(`${origin}/`),
      (id) => id !== undefined,
    );
    expect(problems).toEqual([]);
    await page.close();

    const notification = await publish(owner, stackId, 'CONTAINER_DOWN', {
      container: 'web-7f9c',
      server: 'node-2',
    });
    const pushed = await eventually(
      async () =>
        peers.webPush.messages.find((message) => message.subscription.endpoint === subscription.endpoint),
      (message) => message !== undefined,
    );
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin,
      registrationId: registrationId!,
      data: pushed!.payload.toString('utf8'),
    });
    // Any same-origin document can read the registration; this one runs none of the page's code.
    await blank.goto(`${origin}/favicon.svg`);
    const shown = await waitForNotification(blank, notification.id);
    expect(shown.title).toBe('checkout (staging): Container is down');
    expect(shown.body).toContain('container web-7f9c');

    // Turning the switch off ends the subscription in the browser and on the server.
    const again = await openPage(`/stacks/${stackId}/notifications`, owner.token, {
      keepStorage: true,
      push: { subscription, serverKey, subscribed: true },
    });
    const browserSwitch = again.page.getByRole('switch', { name: 'Notifications in this browser' });
    await again.page.getByText('Shown also while this page is closed.').waitFor();
    await browserSwitch.click();
    await again.page.locator('[role="switch"][aria-checked="false"]').waitFor();
    await eventually(
      () => webPushEndpoints(owner, stackId),
      (endpoints) => endpoints.length === 0,
    );
    expect(again.problems).toEqual([]);
    await again.page.close();
    await blank.close();
  }, 60_000);
});

/** What Chromium logs of the page's attempts to reach its server while the server is down. */
const REFUSED_WHILE_DOWN = /WebSocket connection to .* failed|net::ERR_CONNECTION_REFUSED \(.*\/healthz\)/;

describe('the page across a restart of its server', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  const running = new Set<ServiceProcess>();

  beforeAll(async () => {
    if (!available) return;
    database = await createTestDatabase();
    env = {
      DATABASE_URL: database.url,
      DATA_DIR: database.dir,
      LOG_LEVEL: 'warn',
      SHUTDOWN_TIMEOUT_MS: '2000',
      RATE_LIMIT_PUBLISH_PER_SECOND: '100000',
      RATE_LIMIT_PUBLISH_BURST: '100000',
      RATE_LIMIT_SETTINGS_PER_SECOND: '100000',
      RATE_LIMIT_SETTINGS_BURST: '100000',
    };
  }, 60_000);

  afterAll(async () => {
    await Promise.all([...running].map((process) => process.stop('SIGKILL')));
    await database?.drop();
  });

  async function startServer(port = '0'): Promise<ServiceProcess> {
    const process = await startServerProcess({ ...env, PORT: port });
    running.add(process);
    void process.exited.then(() => running.delete(process));
    return process;
  }

  test.each(['SIGTERM', 'SIGKILL'] as const)(
    'shows every event published while its server was down (%s) exactly once, without a reload',
    async (signal) => {
      const { token } = await bootstrapAccount(env, `page-restart-${randomBytes(3).toString('hex')}`);
      let server = await startServer();
      const { port, origin: pageOrigin } = new URL(server.url);
      const { createStack: stack } = dataOf(
        await graphqlRequest(
          server.url,
          CreateStackDocument,
          { input: { name: 'shop', environment: 'production' } },
          token,
        ),
      );
      const published: string[] = [];
      const publishedAt: number[] = [];
      const publish = async (url: string) => {
        const { publishEvent } = dataOf(
          await graphqlRequest(
            url,
            PublishEventDocument,
            { input: { stackId: stack.id, eventType: 'JOB_FAIL', data: { job: `job-${published.length}` } } },
            token,
          ),
        );
        published.push(publishEvent.id);
        publishedAt.push(Date.now());
        return publishEvent.id;
      };
      const showsWithin = (id: string, timeout: number) =>
        page
          .locator(`[data-notification-id="${id}"]`)
          .waitFor({ timeout })
          .then(
            () => true,
            () => false,
          );

      const page = await browser.context.newPage();
      const problems = collectPageProblems(page);
      await page.goto(`${pageOrigin}/`);
      await page.evaluate(([key, value]) => localStorage.setItem(key, value), [TOKEN_KEY, token] as const);
      await page.goto(`${pageOrigin}/stacks/${stack.id}/notifications`);
      const liveBy = Date.now() + 15_000;
      while (!(await showsWithin(await publish(server.url), 500))) {
        if (Date.now() > liveBy) throw new Error('no notification came through live within 15 s');
      }
      // Everything the page loads on opening has arrived, so that stopping the server cuts only the live socket.
      await page.getByRole('checkbox', { name: 'Job run failed — Email' }).waitFor();
      await page.evaluate(() => navigator.serviceWorker.ready);
      await page.waitForLoadState('networkidle');
      // Gone after a reload: the page must catch up by itself.
      await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

      // A slow network for the history the page reads again once it has reconnected: events keep arriving live
      // while that read is on its way, and must still be shown after it.
      const slowReads: { answered: number; delivered?: number }[] = [];
      await page.route(`${pageOrigin}/graphql`, async (route) => {
        if (!route.request().postData()?.includes('query StackNotifications')) return route.continue();
        const response = await route.fetch();
        const read: (typeof slowReads)[number] = { answered: Date.now() };
        slowReads.push(read);
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await route.fulfill({ response });
        read.delivered = Date.now();
      });

      await server.stop(signal);
      // Nothing listens on the page's port now: these are published through another process on the same database.
      const other = await startServer();
      for (let index = 0; index < 3; index += 1) await publish(other.url);
      await other.stop('SIGTERM');

      server = await startServer(port);
      const restartedAt = Date.now();
      // From the moment the server is ready until the page shows the first of these (it reconnected and caught up),
      // so that some are published while it resubscribes and reads the history again.
      // Publishing goes on until the slow history read has been delivered, so that some land while it is on its way
      // whether the live socket or that read shows the first one.
      const firstAfterRestart = await publish(server.url);
      // A read the page made while its server was shutting down (SIGTERM drains) does not count.
      const readsDone = () =>
        slowReads.some((read) => read.answered > restartedAt) &&
        slowReads.every((read) => read.delivered !== undefined);
      const backBy = Date.now() + 40_000;
      const isShown = async (id: string) =>
        (await page.locator(`[data-notification-id="${id}"]`).count()) > 0;
      while (!(await isShown(firstAfterRestart)) || !readsDone()) {
        if (Date.now() > backBy) throw new Error('the page did not come back within 40 s');
        await publish(server.url);
        await page.waitForTimeout(150);
      }
      for (let index = 0; index < 3; index += 1) await publish(server.url);
      await showsWithin(published[published.length - 1], 10_000);
      await page.waitForTimeout(300);
      expect(
        publishedAt.some((at) => slowReads.some((read) => at > read.answered && at < read.delivered!)),
      ).toBe(true);

      const showOlder = page.getByRole('button', { name: 'Show older' });
      while (await showOlder.isVisible()) {
        const count = await page.locator('.notification').count();
        await showOlder.click();
        await eventually(
          () => page.locator('.notification').count(),
          (now) => now > count,
        );
      }
      const shown = await page
        .locator('.notification')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-notification-id')));
      expect(shown).toEqual([...published].reverse());
      expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(
        true,
      );
      expect(await page.getByText('Live updates stopped').count()).toBe(0);
      // Chromium logs each refused reconnection attempt, and each refused look at /healthz, while the server is down.
      expect(problems.filter((problem) => !REFUSED_WHILE_DOWN.test(problem))).toEqual([]);
      await page.close();
      await server.stop('SIGTERM');
    },
    120_000,
  );
});

interface PushStubWindow {
  pushSubscribeKeys: string[];
}

interface PushStub {
  subscription: { endpoint: string; p256dh: string; auth: string };
  /** The server's VAPID public key, base64url. */
  serverKey: string;
  /** Whether this browser subscribed before (on an earlier visit). */
  subscribed: boolean;
}

/**
 * Runs in the page before its scripts: PushManager hands out the given subscription, as a browser's push service
 * would, and records the application server key the page subscribed with.
 */
function stubPushManager({ subscription, serverKey, subscribed }: PushStub): void {
  const stubWindow = window as unknown as PushStubWindow;
  stubWindow.pushSubscribeKeys = [];
  const toBase64Url = (key: BufferSource | string | null | undefined): string => {
    if (typeof key === 'string' || !key) return key ?? '';
    const bytes = new Uint8Array(key instanceof ArrayBuffer ? key : key.buffer);
    return btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  };
  const fromBase64Url = (text: string): ArrayBuffer =>
    Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0)).buffer;
  const make = (): PushSubscription => ({
    endpoint: subscription.endpoint,
    expirationTime: null,
    options: { applicationServerKey: fromBase64Url(serverKey), userVisibleOnly: true },
    getKey: () => null,
    toJSON: () => ({
      endpoint: subscription.endpoint,
      expirationTime: null,
      keys: { p256dh: subscription.p256dh, auth: subscription.auth },
    }),
    unsubscribe: async () => {
      current = null;
      return true;
    },
  });
  let current: PushSubscription | null = subscribed ? make() : null;
  PushManager.prototype.subscribe = async function (options?: PushSubscriptionOptionsInit) {
    stubWindow.pushSubscribeKeys.push(toBase64Url(options?.applicationServerKey));
    current = make();
    return current;
  };
  PushManager.prototype.getSubscription = async () => current;
}
