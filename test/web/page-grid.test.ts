// The settings view's event x channel grid in Chromium against the real server: a column per channel, events by
// their human names in groups, the truth about channels that cannot send, row and column switches, the outcome of
// each save beside what changed, keyboard use, and one name per event in the grid, the inbox, email and Slack.
import type { Page } from 'playwright-core';
import { Scope } from '../../src/modules/accounts/api-token.entity';
import { Role } from '../../src/modules/accounts/user.entity';
import { StackChannel } from '../../src/modules/channels/stack-channel.entity';
import {
  CreateChannelDocument,
  DeleteChannelDocument,
  EventTypesDocument,
  PublishEventDocument,
  StackChannelMatrixDocument,
  type EventType,
} from '../generated/graphql';
import { browserAvailable } from '../helpers/browser';
import { startChannelPeers, type ChannelPeers } from '../helpers/channel-peers';
import { dataOf } from '../helpers/graphql';
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
    DELIVERY_RETRY_SCHEDULE: '0',
    DELIVERY_POLL_INTERVAL_MS: '50',
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

async function openSettings(stackId: string, token: string) {
  const opened = await openSignedIn(browser.context, origin, `/stacks/${stackId}/notifications`, token);
  await opened.page.getByRole('grid').waitFor();
  return opened;
}

interface StackFixture {
  stackId: string;
  deploys: string;
  alerts: string;
}

/** A stack with two Slack channels, #deploys and #alerts, the second turned off after failing for days. */
async function stackWithChannels(owner: Session, name = 'shop'): Promise<StackFixture> {
  const stackId = await createStack(server, owner, name);
  const create = async (channelName: string, channel: string) =>
    dataOf(
      await server.request(
        CreateChannelDocument,
        { stackId, input: { name: channelName, slack: { url: peers.slack.url, channel } } },
        owner.token,
      ),
    ).createChannel.channel.id;
  const deploys = await create('Slack #deploys', '#deploys');
  const alerts = await create('Slack #alerts', '#alerts');
  await server.app.dataSource.getRepository(StackChannel).update(
    { id: alerts },
    {
      enabled: false,
      disabledReason:
        'Every delivery failed for more than 72 hours. Fix the endpoint and configure it again.',
    },
  );
  return { stackId, deploys, alerts };
}

/** A cell of the viewer's matrix: a shared channel's by id, a personal one by kind. */
async function cellEnabled(session: Session, stackId: string, eventType: EventType, column: string) {
  const { stack } = dataOf(await server.request(StackChannelMatrixDocument, { id: stackId }, session.token));
  const row = stack.preferences.find((candidate) => candidate.eventType === eventType)!;
  return row.channelCells.find((cell) => (cell.channelId ?? cell.channel) === column)!.enabled;
}

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The names of the GraphQL mutations the page sends from now on. */
function recordOperations(page: Page): string[] {
  const names: string[] = [];
  page.on('request', (request) => {
    if (!request.url().endsWith('/graphql') || request.method() !== 'POST') return;
    const name = /^\s*mutation\s+(\w+)/.exec(request.postDataJSON()?.query ?? '')?.[1];
    if (name) names.push(name);
  });
  return names;
}

const box = (page: Page, name: string) => page.getByRole('checkbox', { name, exact: true });
/** The table cell holding the box named `name`. */
const cellOf = (page: Page, name: string) => page.locator('td', { has: box(page, name) });

describe('the preference grid', () => {
  test('has a column per channel by its name, events by their human names in groups, and says which channels cannot send and why', async () => {
    const owner = await server.createAccount();
    const { stackId } = await stackWithChannels(owner);
    const { page, problems } = await openSettings(stackId, owner.token);

    const headers = (await page.getByRole('columnheader').allTextContents()).map((text) => text.trim());
    expect(headers[0]).toBe('Event');
    expect(
      headers.slice(1).map((text) => text.split(/(?=Off in|No iOS|Turned off|Set up|All on|All off)/)[0]),
    ).toEqual(['Browser', 'Email', 'iOS', 'Slack #deploys', 'Slack #alerts']);
    const header = (name: string) => page.getByRole('columnheader').filter({ hasText: name });
    expect(await header('Browser').textContent()).toContain('Off in this browser');
    expect(await header('iOS').textContent()).toContain('No iOS device');
    expect(await header('Slack #alerts').textContent()).toContain('Turned off');
    expect(await header('Slack #deploys').textContent()).not.toMatch(/Turned off|Not set up/);
    expect(await page.getByRole('checkbox').count()).toBe(14 * 5);

    // Nothing looks ticked where nothing is sent, and why is said with each box.
    for (const column of ['Browser', 'iOS', 'Slack #alerts']) {
      const blocked = box(page, `Stack provisioned successfully — ${column}`);
      expect(await blocked.isChecked()).toBe(false);
      expect(await blocked.getAttribute('aria-disabled')).toBe('true');
    }
    expect(
      await box(page, 'Stack provisioned successfully — iOS').getAttribute('aria-describedby'),
    ).toBeTruthy();
    const description = await page.evaluate(() => {
      const element = Array.from(document.querySelectorAll('input[type=checkbox]')).find(
        (input) => input.getAttribute('aria-label') === 'Stack provisioned successfully — iOS',
      )!;
      return document.getElementById(element.getAttribute('aria-describedby')!)!.textContent;
    });
    expect(description).toContain('No iOS device is registered');
    expect(await box(page, 'Stack provisioned successfully — Slack #deploys').isChecked()).toBe(true);
    expect(await box(page, 'Stack provisioned successfully — Email').isChecked()).toBe(true);
    expect(await box(page, 'Stack deployment started — Email').isChecked()).toBe(false);

    // The human name first, the key small beneath it; groups in order; the seed's typos corrected.
    const firstRow = page.getByRole('rowheader').filter({ hasText: 'stack.provision.ok' });
    expect((await firstRow.locator('.event-title').textContent())?.trim()).toBe(
      'Stack provisioned successfully',
    );
    const text = (await page.getByRole('grid').textContent()) ?? '';
    const groups = ['Deployments', 'Servers', 'Jobs and processes', 'Access'].map((label) =>
      text.indexOf(label),
    );
    expect(groups.every((position) => position >= 0)).toBe(true);
    expect([...groups].sort((a, b) => a - b)).toEqual(groups);
    expect(text.indexOf('Stack deployment started')).toBeLessThan(groups[1]);
    expect(text.indexOf('Server heartbeat stopped')).toBeGreaterThan(groups[1]);
    expect(text.indexOf('Container is down')).toBeGreaterThan(groups[2]);
    expect(text.indexOf('App authorized to access the account')).toBeGreaterThan(groups[3]);
    expect(text).not.toContain('succesfully');
    expect(text).not.toContain('STACK_');

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'grid-desktop');
    await page.setViewportSize(PHONE);
    const widths = await page.evaluate(() => ({
      content: document.documentElement.scrollWidth,
      viewport: document.documentElement.clientWidth,
    }));
    await screenshot(page, 'grid-phone');
    await page.getByRole('heading', { name: 'Events' }).evaluate((element) => element.scrollIntoView());
    await screenshotViewport(page, 'grid-phone-viewport');
    expect(widths.content).toBeLessThanOrEqual(widths.viewport);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test('saves a box and says Saved beside it; a row and a column go all on and all off in one mutation each', async () => {
    const owner = await server.createAccount();
    const { stackId, deploys, alerts } = await stackWithChannels(owner);
    const { page, problems } = await openSettings(stackId, owner.token);
    const operations = recordOperations(page);

    await box(page, 'Job run failed — Slack #deploys').click();
    await cellOf(page, 'Job run failed — Slack #deploys').getByText('Saved').waitFor();
    expect(await cellEnabled(owner, stackId, 'JOB_FAIL', deploys)).toBe(false);
    expect(
      await page
        .getByRole('status')
        .filter({ hasText: 'Saved: Job run failed — Slack #deploys off' })
        .count(),
    ).toBe(1);

    // The row's switch covers the channels that send and that the viewer may change: Email and #deploys here.
    const rowOn = page.getByRole('button', { name: 'All on: Job run failed', exact: true });
    await rowOn.click();
    const rowOff = page.getByRole('button', { name: 'All off: Job run failed', exact: true });
    await rowOff.waitFor();
    await page.getByRole('rowheader').filter({ hasText: 'job.fail' }).getByText('Saved').waitFor();
    expect(await cellEnabled(owner, stackId, 'JOB_FAIL', deploys)).toBe(true);
    await rowOff.click();
    await rowOn.waitFor();
    await eventually(
      async () => [
        await cellEnabled(owner, stackId, 'JOB_FAIL', 'EMAIL'),
        await cellEnabled(owner, stackId, 'JOB_FAIL', deploys),
      ],
      (cells) => cells.every((on) => !on),
    );
    expect(await box(page, 'Job run failed — Email').isChecked()).toBe(false);
    // The turned-off channel keeps its cell: it is not one the switch shows.
    expect(await cellEnabled(owner, stackId, 'JOB_FAIL', alerts)).toBe(true);

    // A column: every event on #deploys, one mutation.
    const columnOn = page.getByRole('button', { name: 'All on: Slack #deploys', exact: true });
    await columnOn.click();
    const columnOff = page.getByRole('button', { name: 'All off: Slack #deploys', exact: true });
    await columnOff.click();
    await columnOn.waitFor();
    await page.getByRole('columnheader').filter({ hasText: 'Slack #deploys' }).getByText('Saved').waitFor();
    const { stack } = dataOf(await server.request(StackChannelMatrixDocument, { id: stackId }, owner.token));
    expect(
      stack.preferences.map((row) => row.channelCells.find((cell) => cell.channelId === deploys)!.enabled),
    ).toEqual(new Array(14).fill(false));
    expect(await box(page, 'Container is down — Slack #deploys').isChecked()).toBe(false);
    expect(operations).toEqual([
      'SetEventPreference',
      'SetEventPreferences',
      'SetEventPreferences',
      'SetEventPreferences',
      'SetEventPreferences',
    ]);

    await page.reload();
    await page.getByRole('grid').waitFor();
    expect(await box(page, 'Stack redeployed successfully — Slack #deploys').isChecked()).toBe(false);
    expect(await box(page, 'Stack redeployed successfully — Email').isChecked()).toBe(true);
    await screenshot(page, 'grid-saved');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test('flips a box back and says why beside it when the save fails', async () => {
    const owner = await server.createAccount();
    const { stackId, deploys } = await stackWithChannels(owner);
    const { page, problems } = await openSettings(stackId, owner.token);
    const name = 'Process is down — Slack #deploys';
    expect(await box(page, name).isChecked()).toBe(true);

    // Someone else removes the channel while this page shows it.
    dataOf(await server.request(DeleteChannelDocument, { id: deploys }, owner.token));
    await box(page, name).click();
    await cellOf(page, name).getByText('Not saved: this channel is gone; reload the page.').waitFor();
    expect(await box(page, name).isChecked()).toBe(true);
    expect(
      await page
        .getByRole('status')
        .filter({ hasText: `${name} off was not saved` })
        .count(),
    ).toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'grid-not-saved');
    // The browser logs the failed request as nothing: GraphQL errors come with 200.
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test("shows a MEMBER the stack's shared boxes as they are, unchangeable, and lets them change their own", async () => {
    const owner = await server.createAccount();
    const { stackId, deploys } = await stackWithChannels(owner);
    const member = await server.addUser(owner, Role.MEMBER);
    const { page, problems } = await openSettings(stackId, member.token);
    const operations = recordOperations(page);

    const shared = box(page, 'Job run failed — Slack #deploys');
    expect(await shared.isChecked()).toBe(true);
    expect(await shared.getAttribute('aria-disabled')).toBe('true');
    // Neither a click (which Playwright would refuse as disabled) nor Space changes it.
    await shared.click({ force: true });
    await shared.focus();
    await page.keyboard.press('Space');
    expect(await shared.isChecked()).toBe(true);
    expect(
      await page.getByRole('columnheader').filter({ hasText: 'Slack #deploys' }).textContent(),
    ).toContain('Owners and admins set it');
    expect(await page.getByRole('button', { name: 'All off: Slack #deploys' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Set up Slack/ }).count()).toBe(0);

    // The row's switch changes the member's own cells only.
    await page.getByRole('button', { name: 'All off: Job run failed', exact: true }).click();
    await page.getByRole('button', { name: 'All on: Job run failed', exact: true }).waitFor();
    // The switch flips at once; the row says Saved when the server has answered.
    await page.getByRole('rowheader').filter({ hasText: 'job.fail' }).getByText('Saved').waitFor();
    expect(await cellEnabled(member, stackId, 'JOB_FAIL', 'EMAIL')).toBe(false);
    expect(await cellEnabled(owner, stackId, 'JOB_FAIL', deploys)).toBe(true);
    // One mutation, of the one cell the switch covers for a MEMBER here (Email).
    expect(operations).toEqual(['SetEventPreference']);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'grid-member');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test('is one tab stop: arrows, Home and End move, Space ticks, and the inbox is a few Tabs on', async () => {
    const owner = await server.createAccount();
    const { stackId } = await stackWithChannels(owner);
    const { page, problems } = await openSettings(stackId, owner.token);
    const focusedLabel = async () => (await focusedElement(page)).label;

    await tabTo(page, /— Browser$/);
    expect(await focusedLabel()).toBe('Stack provisioned successfully — Browser');
    await page.keyboard.press('ArrowRight');
    expect(await focusedLabel()).toBe('Stack provisioned successfully — Email');
    await page.keyboard.press('ArrowDown');
    expect(await focusedLabel()).toBe('Stack provision failed — Email');
    await page.keyboard.press('End');
    expect(await focusedLabel()).toBe('Stack provision failed — Slack #alerts');
    await page.keyboard.press('Home');
    expect(await focusedLabel()).toBe('All off: Stack provision failed');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    // Deployment starts are off by default, so Email is not all on.
    expect(await focusedLabel()).toBe('All on: Email');
    await page.keyboard.press('ArrowLeft');
    expect(await focusedLabel()).toBe('Set up Browser');
    await page.keyboard.press('Control+End');
    expect(await focusedLabel()).toBe('App deauthorized from accessing the account — Slack #alerts');
    await page.keyboard.press('Control+Home');
    expect(await focusedLabel()).toBe('Set up Browser');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe('solid');

    // Space ticks the focused box; the outcome is said beside it.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    expect(await focusedLabel()).toBe('Stack provisioned successfully — Email');
    await page.keyboard.press('Space');
    await cellOf(page, 'Stack provisioned successfully — Email').getByText('Saved').waitFor();
    expect(await cellEnabled(owner, stackId, 'STACK_PROVISION_OK', 'EMAIL')).toBe(false);

    // Enter on "Set up Browser" turns this browser's notifications on: the column sends, its boxes tell the truth.
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'All on: Browser', exact: true }).waitFor();
    expect(await box(page, 'Stack provisioned successfully — Browser').isChecked()).toBe(true);
    expect(
      await box(page, 'Stack provisioned successfully — Browser').getAttribute('aria-disabled'),
    ).toBeNull();
    await page.getByRole('switch', { name: 'Notifications in this browser' }).waitFor();
    expect(
      await page.getByRole('switch', { name: 'Notifications in this browser' }).getAttribute('aria-checked'),
    ).toBe('true');

    // Back in the grid, Tab leaves it at once; the inbox is a few Tabs on.
    await box(page, 'Server heartbeat stopped — Email').focus();
    let presses = 0;
    for (; presses < 10; presses++) {
      await page.keyboard.press('Tab');
      const inInbox = await page.evaluate(() => Boolean(document.activeElement?.closest('aside')));
      if (inInbox) break;
    }
    expect(presses + 1).toBeLessThanOrEqual(4);
    // Shift+Tab comes back to the box last focused.
    const grid = page.getByRole('grid');
    for (let back = 0; back <= presses; back++) await page.keyboard.press('Shift+Tab');
    expect(await focusedLabel()).toBe('Server heartbeat stopped — Email');
    expect(await grid.locator('[tabindex="0"]').count()).toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test('calls an event by the same name in the grid, the inbox, email and Slack', async () => {
    const owner = await server.createAccount();
    const { stackId } = await stackWithChannels(owner, 'catalogue');
    const { page, problems } = await openSettings(stackId, owner.token);
    const publisher = await server.createToken(owner, [Scope.EVENTS_PUBLISH]);
    const slackBefore = peers.slack.messages.length;
    const { publishEvent } = dataOf(
      await server.request(
        PublishEventDocument,
        { input: { stackId, eventType: 'JOB_BACKON', data: { job: 'nightly-backup' } } },
        publisher,
      ),
    );
    const name = 'Job run succeeded again';
    expect(publishEvent.title).toBe(name);
    const { eventTypes } = dataOf(await server.request(EventTypesDocument, {}));
    expect(eventTypes.find((type) => type.key === 'job.backon')).toMatchObject({
      title: name,
      description: name,
    });
    // Every event has one name: the catalogue's description says the same, and no seed typo is left.
    for (const type of eventTypes) expect(type.description).toBe(type.title);
    expect(eventTypes.map((type) => type.title).join(' ')).not.toMatch(/succesfully|\(after fail\)/);

    const grid = (await page
      .getByRole('rowheader')
      .filter({ hasText: 'job.backon' })
      .locator('.event-title')
      .textContent())!;
    expect(grid.trim()).toBe(name);
    const inbox = page.locator(`[data-notification-id="${publishEvent.id}"]`);
    await inbox.waitFor();
    expect(await inbox.textContent()).toContain(name);

    const mail = await eventually(
      async () => peers.smtp.mails.find((candidate) => candidate.parsed.subject?.includes('[catalogue]')),
      Boolean,
    );
    expect(mail!.parsed.subject).toBe(`[catalogue] ${name}`);
    const slack = await eventually(
      async () =>
        peers.slack.messages.slice(slackBefore).find((message) => message.text?.includes('[catalogue]')),
      Boolean,
    );
    expect(slack!.text).toBe(`[catalogue] ${name}`);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
