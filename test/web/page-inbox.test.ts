// The page's inbox in Chromium against the real server: outcomes and severities in words, an incident's notifications
// together with how long it lasted, relative times, reading one at a time and the unread filter, details with human
// keys, by keyboard alone, and on a 390 px phone behind a bell.
import type { Page } from 'playwright-core';
import { Scope } from '../../src/modules/accounts/api-token.entity';
import {
  MarkNotificationsReadDocument,
  PublishEventDocument,
  StackNotificationsDocument,
  type EventType,
} from '../generated/graphql';
import { browserAvailable } from '../helpers/browser';
import { dataOf, errorCode } from '../helpers/graphql';
import { startTestServer, type Session, type TestServer } from '../helpers/server';
import { createStack } from '../helpers/settings-fixtures';
import { buildPageIfStale } from './build-page';
import {
  focusedElement,
  launchPageBrowser,
  PHONE,
  screenshot,
  screenshotViewport,
  seriousAccessibilityViolations,
  tabTo,
  type PageBrowser,
  openSignedIn,
} from './page-browser';

const available = browserAvailable();
const test = available ? it : it.skip;
const MINUTE = 60_000;

let server: TestServer;
let browser: PageBrowser;
let origin: string;

beforeAll(async () => {
  if (!available) return;
  buildPageIfStale();
  server = await startTestServer({ LOG_LEVEL: 'warn' });
  origin = new URL(server.url).origin;
  browser = await launchPageBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage(path: string, token: string): Promise<{ page: Page; problems: string[] }> {
  return openSignedIn(browser.context, origin, path, token);
}

async function publish(
  session: Session,
  stackId: string,
  eventType: EventType,
  data: Record<string, unknown>,
  occurredAt?: Date,
) {
  const publisher = await server.createToken(session, [Scope.EVENTS_PUBLISH]);
  return dataOf(
    await server.request(
      PublishEventDocument,
      { input: { stackId, eventType, data, occurredAt: occurredAt?.toISOString() } },
      publisher,
    ),
  ).publishEvent;
}

const LONG_MESSAGE =
  'Deployed 4f2a9c1 to web-1, web-2 and worker-1 after the migrations ran; the health check passed on every server ' +
  'and the old release was kept for a rollback until tomorrow morning.';

/** A stack with a server that stopped 20 minutes ago and came back 14 minutes later, then a redeploy. */
async function stackWithIncident(session: Session) {
  const stackId = await createStack(server, session, 'shop');
  const now = Date.now();
  const stopped = await publish(
    session,
    stackId,
    'SERVER_STOPPED',
    { server: 'web-1', lastHeartbeat: new Date(now - 21 * MINUTE).toISOString() },
    new Date(now - 20 * MINUTE),
  );
  const backOn = await publish(
    session,
    stackId,
    'SERVER_BACKON',
    { server: 'web-1' },
    new Date(now - 6 * MINUTE),
  );
  const redeployed = await publish(session, stackId, 'STACK_REDEPLOY_OK', {
    commit: '4f2a9c1',
    message: LONG_MESSAGE,
  });
  return { stackId, stopped, backOn, redeployed };
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
}

describe('the inbox', () => {
  test('groups an incident with how long it lasted, says each outcome in words, and shows every detail', async () => {
    const owner = await server.createAccount();
    const { stackId, stopped, backOn, redeployed } = await stackWithIncident(owner);
    const { page, problems } = await openPage(`/stacks/${stackId}/notifications`, owner.token);
    const inbox = page.getByRole('complementary', { name: /Notifications/ });
    await inbox.getByText('3 unread').waitFor();

    const incident = inbox.getByRole('listitem', { name: /Server web-1/ });
    await incident.getByText('Resolved after 14 min').waitFor();
    const failure = page.locator(`[data-notification-id="${stopped.id}"]`);
    const recovery = page.locator(`[data-notification-id="${backOn.id}"]`);
    expect(await incident.locator('.notification').count()).toBe(2);
    expect(await failure.textContent()).toContain('Failure');
    expect(await failure.textContent()).toContain('Critical');
    expect(await failure.textContent()).toContain('Server heartbeat stopped');
    expect(await recovery.textContent()).toContain('Recovery');
    expect(await recovery.textContent()).not.toContain('Critical');

    const redeploy = page.locator(`[data-notification-id="${redeployed.id}"]`);
    expect(await redeploy.textContent()).toContain('Success');
    expect(await redeploy.textContent()).toContain('Stack redeployed successfully');
    // Newest first: the redeploy, then the incident at the place of its newest notification.
    expect(
      await page
        .locator('.notification')
        .evaluateAll((items) => items.map((item) => item.dataset.notificationId)),
    ).toEqual([redeployed.id, backOn.id, stopped.id]);

    const when = failure.locator('time').first();
    expect(await when.textContent()).toBe('20 minutes ago');
    expect(await when.getAttribute('datetime')).toBe(stopped.occurredAt);
    expect(await when.getAttribute('title')).toMatch(/\d{4}/);

    await failure.getByText('Details').click();
    await failure.getByText('Last heartbeat').waitFor();
    expect(await failure.locator('dt').allTextContents()).toEqual([
      'Server',
      'Last heartbeat',
      'Event',
      'Occurred',
    ]);
    await redeploy.getByText('Details').click();
    await redeploy.getByText(LONG_MESSAGE).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'inbox-incident');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test('marks one notification read, and shows only unread ones when asked', async () => {
    const owner = await server.createAccount();
    const { stackId, stopped, backOn, redeployed } = await stackWithIncident(owner);
    const { page, problems } = await openPage(`/stacks/${stackId}/notifications`, owner.token);
    await page.getByText('3 unread').waitFor();

    await page.getByRole('button', { name: 'Unread', exact: true }).click();
    expect(await page.getByRole('button', { name: 'Unread', exact: true }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await page.getByRole('button', { name: 'Mark read: Stack redeployed successfully' }).click();
    await page.getByText('2 unread').waitFor();
    const redeploy = page.locator(`[data-notification-id="${redeployed.id}"]`);
    // Read while the filter is on: it stays where it was, no longer marked unread, until the filter changes.
    expect(await redeploy.getAttribute('class')).not.toContain('is-unread');
    const { stack } = dataOf(await server.request(StackNotificationsDocument, { id: stackId }, owner.token));
    expect(stack.unreadCount).toBe(2);
    expect(stack.notifications.edges.find(({ node }) => node.id === redeployed.id)?.node.read).toBe(true);

    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.getByRole('button', { name: 'Unread', exact: true }).click();
    await redeploy.waitFor({ state: 'detached' });
    expect(
      await page
        .locator('.notification')
        .evaluateAll((items) => items.map((item) => item.dataset.notificationId)),
    ).toEqual([backOn.id, stopped.id]);
    await expectAccessible(page);
    await screenshot(page, 'inbox-unread-filter');

    await page.getByRole('button', { name: 'Mark all read' }).click();
    // Either the empty filter or the error the page shows instead, so that a failure says which.
    await page.getByText('No unread notifications.').or(page.locator('.inbox .form-error')).first().waitFor();
    expect(await page.locator('.inbox .form-error').allTextContents()).toEqual([]);
    await page.getByText('No unread notifications.').waitFor();
    expect(await page.getByText(/\d+ unread/).count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test('refuses to mark read a notification of another account, and changes nothing', async () => {
    const owner = await server.createAccount();
    const { stackId } = await stackWithIncident(owner);
    const stranger = await server.createAccount();
    const strangersStack = await createStack(server, stranger, 'theirs');
    const theirs = await publish(stranger, strangersStack, 'JOB_FAIL', { job: 'backup' });

    const ownStack = await server.request(
      MarkNotificationsReadDocument,
      { stackId, ids: [theirs.id] },
      owner.token,
    );
    expect(errorCode(ownStack)).toBe('NOT_FOUND');
    const theirStack = await server.request(
      MarkNotificationsReadDocument,
      { stackId: strangersStack, ids: [theirs.id] },
      owner.token,
    );
    expect(errorCode(theirStack)).toBe('NOT_FOUND');
    const { stack } = dataOf(
      await server.request(StackNotificationsDocument, { id: strangersStack }, stranger.token),
    );
    expect(stack.unreadCount).toBe(1);
  });

  test('can be read with the keyboard alone', async () => {
    const owner = await server.createAccount();
    const { stackId, stopped, redeployed } = await stackWithIncident(owner);
    const { page, problems } = await openPage(`/stacks/${stackId}/notifications`, owner.token);
    await page.getByText('3 unread').waitFor();

    // Past the settings in one step: the skip link at the top of the page.
    await tabTo(page, /^Skip to notifications$/, 3);
    await page.keyboard.press('Enter');
    await tabTo(page, /^Unread$/, 5);
    await page.keyboard.press('Space');
    expect(await page.getByRole('button', { name: 'Unread', exact: true }).getAttribute('aria-pressed')).toBe(
      'true',
    );

    await tabTo(page, /^Mark read: Stack redeployed successfully$/);
    await page.keyboard.press('Enter');
    await page.getByText('2 unread').waitFor();
    // The button is gone with the unread state: focus is on the notification it was in, not lost.
    await page.waitForFunction(
      (id) => document.activeElement?.getAttribute('data-notification-id') === id,
      redeployed.id,
    );

    await tabTo(page, /^Mark read: Server heartbeat stopped$/, 5);
    await tabTo(page, /^Details$/, 1);
    await page.keyboard.press('Enter');
    const failure = page.locator(`[data-notification-id="${stopped.id}"]`);
    await failure.getByText('Last heartbeat').waitFor();
    expect(await failure.locator('details').getAttribute('open')).not.toBeNull();

    // Mark all read comes before the list: back to it with Shift+Tab.
    for (let pressed = 0; (await focusedElement(page)).text !== 'Mark all read'; pressed++) {
      if (pressed > 20) throw new Error('Mark all read is not reachable by keyboard');
      await page.keyboard.press('Shift+Tab');
    }
    await page.keyboard.press('Enter');
    await page.getByText('2 unread').waitFor({ state: 'detached' });
    expect(await page.getByText(/\d+ unread/).count()).toBe(0);
    await screenshot(page, 'inbox-keyboard');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test('on a 390 px phone, waits behind a bell with the unread count instead of under the page', async () => {
    const owner = await server.createAccount();
    const { stackId, redeployed } = await stackWithIncident(owner);
    const { page, problems } = await openPage(`/stacks/${stackId}/notifications`, owner.token);
    await page.setViewportSize(PHONE);

    const bell = page.getByRole('button', { name: 'Notifications, 3 unread' });
    await bell.waitFor();
    const box = (await bell.boundingBox())!;
    expect(box.y + box.height).toBeLessThan(PHONE.height);
    expect(await page.getByRole('complementary', { name: /Notifications/ }).count()).toBe(0);
    const widths = await page.evaluate(() => ({
      content: document.documentElement.scrollWidth,
      viewport: document.documentElement.clientWidth,
    }));
    expect(widths.content).toBeLessThanOrEqual(widths.viewport);
    await expectAccessible(page);
    await screenshotViewport(page, 'inbox-phone-bell');

    await bell.click();
    const drawer = page.getByRole('dialog', { name: 'Notifications' });
    await drawer.getByText('3 unread').waitFor();
    await drawer.getByText('Resolved after 14 min').waitFor();
    await drawer.getByRole('button', { name: 'Mark read: Stack redeployed successfully' }).click();
    await drawer.getByText('2 unread').waitFor();
    expect(
      await drawer.locator(`[data-notification-id="${redeployed.id}"]`).getAttribute('class'),
    ).not.toContain('is-unread');
    await expectAccessible(page);
    await screenshotViewport(page, 'inbox-phone-drawer');

    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Notifications, 2 unread' }).waitFor();
    expect((await focusedElement(page)).label).toBe('Notifications, 2 unread');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
