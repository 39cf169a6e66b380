// The channel cards in Chromium against the real server: several shared channels of a kind added, changed, tested
// and removed through dialogs; each card's health (last delivery, failing streak, dead deliveries, why it was
// disabled) in plain words with a link to its deliveries; members reading them; and the message template editor
// with its live preview, its errors at their line and column, and a reset to the built-in text.
import type { Page } from 'playwright-core';
import { Role } from '../../src/modules/accounts/user.entity';
import { StackChannel } from '../../src/modules/channels/stack-channel.entity';
import {
  ChannelDeliveriesDocument,
  CreateChannelDocument,
  PublishEventDocument,
  StackMessageTemplatesDocument,
  StackSharedChannelsDocument,
  type ChannelInput,
} from '../generated/graphql';
import { browserAvailable } from '../helpers/browser';
import { startChannelPeers, type ChannelPeers } from '../helpers/channel-peers';
import { dataOf } from '../helpers/graphql';
import { startTestServer, type Session, type TestServer } from '../helpers/server';
import { createStack } from '../helpers/settings-fixtures';
import { HttpPeer } from '../peers/http-peer';
import { TeamsPeer } from '../peers/teams-peer';
import { buildPageIfStale } from './build-page';
import {
  DESKTOP,
  focusedElement,
  launchPageBrowser,
  PHONE,
  screenshot,
  screenshotViewport,
  seriousAccessibilityViolations,
  type PageBrowser,
  openSignedIn,
} from './page-browser';

const available = browserAvailable();
const test = available ? it : it.skip;

let peers: ChannelPeers;
let teams: TeamsPeer;
let broken: HttpPeer;
let server: TestServer;
let browser: PageBrowser;
let origin: string;

beforeAll(async () => {
  if (!available) return;
  buildPageIfStale();
  [peers, teams, broken] = await Promise.all([
    startChannelPeers(),
    TeamsPeer.start(),
    HttpPeer.start({ answer: () => ({ status: 500, body: 'receiver broke' }) }),
  ]);
  server = await startTestServer({
    ...peers.env,
    LOG_LEVEL: 'warn',
    // One attempt: a failed delivery is DEAD at once.
    DELIVERY_RETRY_SCHEDULE: '0',
    DELIVERY_POLL_INTERVAL_MS: '50',
    SHUTDOWN_TIMEOUT_MS: '2000',
  });
  origin = new URL(server.url).origin;
  browser = await launchPageBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await Promise.all([peers?.close(), teams?.close(), broken?.close()]);
});

async function openPage(path: string, token: string): Promise<{ page: Page; problems: string[] }> {
  return openSignedIn(browser.context, origin, path, token);
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
}

async function expectFitsWidth(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({
    content: document.documentElement.scrollWidth,
    viewport: document.documentElement.clientWidth,
  }));
  expect(widths.content).toBeLessThanOrEqual(widths.viewport);
}

async function sharedChannels(session: Session, stackId: string) {
  return dataOf(await server.request(StackSharedChannelsDocument, { id: stackId }, session.token)).stack!
    .sharedChannels;
}

async function createChannel(owner: Session, stackId: string, input: ChannelInput) {
  return dataOf(await server.request(CreateChannelDocument, { stackId, input }, owner.token)).createChannel
    .channel;
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

function card(page: Page, name: string) {
  return page.locator('.channel-card', { has: page.getByRole('heading', { name, exact: true }) });
}

describe('the channel cards', () => {
  test('adds two Slack channels and a Teams channel, changes one, sends a test, and gives focus back', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner, 'shop');
    const { page, problems } = await openPage(`/stacks/${stackId}/notifications`, owner.token);
    const add = page.getByRole('button', { name: 'Add a channel' });
    await page.getByText('No shared channel yet.').waitFor();
    await expectAccessible(page);

    for (const [name, channel] of [
      ['Slack #deploys', '#deploys'],
      ['Slack #oncall', '#oncall'],
    ]) {
      await add.click();
      const dialog = page.getByRole('dialog', { name: 'Add a channel' });
      await dialog.getByRole('radio', { name: 'Slack' }).check();
      await dialog.getByLabel('Name').fill(name);
      await dialog.getByLabel('Incoming-webhook URL').fill(peers.slack.url);
      await dialog.getByLabel('Channel (optional)').fill(channel);
      if (name === 'Slack #deploys') {
        await expectAccessible(page);
        await screenshotViewport(page, 'channels-add-dialog');
        // Tab keeps to the dialog while it is open, round from its last control to its first.
        for (let press = 0; press < 14; press++) {
          await page.keyboard.press('Tab');
          expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
        }
      }
      await dialog.getByRole('button', { name: 'Add Slack' }).click();
      // Once added, the dialog is the channel's own.
      const own = page.getByRole('dialog', { name });
      await own.getByRole('button', { name: 'Send test' }).waitFor();
      await page.keyboard.press('Escape');
      await own.waitFor({ state: 'detached' });
      expect((await focusedElement(page)).text).toBe('Add a channel');
    }

    await add.click();
    const dialog = page.getByRole('dialog', { name: 'Add a channel' });
    await dialog.getByRole('radio', { name: 'Microsoft Teams' }).check();
    await dialog.getByRole('button', { name: 'Add Microsoft Teams' }).click();
    // The URL is required: said beside the field, nothing created.
    await dialog.locator('.field-error').waitFor();
    expect(await dialog.getByLabel('Workflows URL').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('Workflows URL').fill(teams.url);
    await dialog.getByRole('button', { name: 'Add Microsoft Teams' }).click();
    const teamsDialog = page.getByRole('dialog', { name: 'Microsoft Teams' });
    await teamsDialog.getByRole('button', { name: 'Send test' }).click();
    const result = teamsDialog.getByTestId('test-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('Delivered');
    await page.keyboard.press('Escape');
    await teamsDialog.waitFor({ state: 'detached' });

    const channels = await sharedChannels(owner, stackId);
    expect(channels.map((channel) => [channel.kind, channel.name])).toEqual([
      ['SLACK', 'Slack #deploys'],
      ['SLACK', 'Slack #oncall'],
      ['TEAMS', 'Microsoft Teams'],
    ]);
    expect(await page.locator('.channel-card h4').allTextContents()).toEqual([
      'Slack #deploys',
      'Slack #oncall',
      'Microsoft Teams',
      'Browser',
      'Email',
      'iOS',
    ]);
    // A test send is not a delivery of the log: the card still has none.
    await card(page, 'Microsoft Teams').getByText('No deliveries yet').waitFor();

    // Edit: a new name, the Slack URL kept (its field is left empty).
    await page.getByRole('button', { name: 'Edit Slack #oncall' }).click();
    const edit = page.getByRole('dialog', { name: 'Slack #oncall' });
    expect(await edit.getByLabel('Incoming-webhook URL').inputValue()).toBe('');
    // Another Slack channel needs its URL again: the API never shows it.
    await edit.getByLabel('Channel (optional)').fill('#alerts');
    await edit.getByRole('button', { name: 'Save Slack' }).click();
    await edit.getByText('Paste the incoming-webhook URL again to change the settings.').waitFor();
    await edit.getByLabel('Channel (optional)').fill('#oncall');
    await edit.getByLabel('Name').fill('Slack #on-call');
    await edit.getByRole('button', { name: 'Save Slack' }).click();
    // The dialog is named after the channel: its new name now.
    const renamed = page.getByRole('dialog', { name: 'Slack #on-call' });
    await renamed.getByText('Saved.').waitFor();
    await renamed.getByRole('button', { name: 'Send test' }).click();
    await renamed.getByTestId('test-result').waitFor();
    expect(peers.slack.messages.map((message) => message.channel)).toContain('#oncall');
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    await renamed.waitFor({ state: 'detached' });
    expect((await focusedElement(page)).label).toBe('Edit Slack #on-call');
    expect((await sharedChannels(owner, stackId)).map((channel) => channel.name)).toContain('Slack #on-call');

    await screenshot(page, 'channels-desktop');
    await page.setViewportSize(PHONE);
    await expectFitsWidth(page);
    await screenshot(page, 'channels-phone');
    await page.setViewportSize(DESKTOP);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  test('removes a channel after asking, and Cancel leaves it', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner, 'billing');
    await createChannel(owner, stackId, { name: 'Slack #deploys', slack: { url: peers.slack.url } });
    await createChannel(owner, stackId, { name: 'Slack #oncall', slack: { url: peers.slack.url } });
    const { page, problems } = await openPage(`/stacks/${stackId}/notifications`, owner.token);

    const remove = page.getByRole('button', { name: 'Remove Slack #oncall' });
    await remove.click();
    const confirm = page.getByRole('dialog', { name: 'Remove Slack #oncall?' });
    await confirm.getByText('Its deliveries stay in the log').waitFor();
    await expectAccessible(page);
    await screenshotViewport(page, 'channels-remove-confirm');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect((await focusedElement(page)).label).toBe('Remove Slack #oncall');
    expect(await sharedChannels(owner, stackId)).toHaveLength(2);

    await remove.click();
    await confirm.getByRole('button', { name: 'Remove Slack #oncall' }).click();
    await confirm.waitFor({ state: 'detached' });
    await card(page, 'Slack #oncall').waitFor({ state: 'detached' });
    expect((await sharedChannels(owner, stackId)).map((channel) => channel.name)).toEqual(['Slack #deploys']);
    expect((await focusedElement(page)).text).toBe('Add a channel');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test("shows each card's health in plain words, links its deliveries, and shows members the same read-only", async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner, 'search');
    const ok = await createChannel(owner, stackId, {
      name: 'Slack #deploys',
      slack: { url: peers.slack.url },
    });
    const refused = await createChannel(owner, stackId, {
      name: 'Webhook refused',
      webhook: { url: 'http://127.0.0.1:1/hook' },
    });
    const failing = await createChannel(owner, stackId, {
      name: 'Webhook broken',
      webhook: { url: `${broken.url}/hook` },
    });
    const disabled = await createChannel(owner, stackId, {
      name: 'Slack #old',
      slack: { url: peers.slack.url },
    });
    const reason =
      'Disabled at 2026-01-03T10:00:00.000Z: every delivery failed for more than 72 hours ' +
      '(since 2025-12-31T10:00:00.000Z). Fix the endpoint and configure the channel again.';
    await server.app.dataSource
      .getRepository(StackChannel)
      .update({ id: disabled.id }, { enabled: false, disabledReason: reason });
    dataOf(
      await server.request(
        PublishEventDocument,
        { input: { stackId, eventType: 'JOB_FAIL', data: { job: 'nightly' } } },
        owner.token,
      ),
    );
    await eventually(
      async () =>
        dataOf(await server.request(ChannelDeliveriesDocument, { id: stackId }, owner.token)).stack!
          .deliveries.nodes,
      (rows) =>
        rows.filter((row) => row.channelId).length === 3 && rows.every((row) => row.status !== 'PENDING'),
    );

    const { page, problems } = await openPage(`/stacks/${stackId}/notifications`, owner.token);
    const good = card(page, 'Slack #deploys');
    await good.getByText('Delivered').waitFor();
    expect(await good.locator('time').first().textContent()).toBe('just now');
    expect(await good.textContent()).not.toContain('Failing');

    const refusedCard = card(page, 'Webhook refused');
    await refusedCard.getByText('The receiver at 127.0.0.1:1 refused the connection.').waitFor();
    expect(await refusedCard.locator('.raw-error').textContent()).toContain('ECONNREFUSED');
    expect(await refusedCard.textContent()).toMatch(/Failing for \d+ s, since/);
    expect(await refusedCard.textContent()).toContain('1 dead delivery (every retry failed)');

    const failingCard = card(page, 'Webhook broken');
    await failingCard
      .getByText('The receiver had a problem of its own (500 Internal Server Error).')
      .waitFor();
    expect(await failingCard.locator('.raw-error').textContent()).toBe('HTTP 500 Internal Server Error');

    const disabledCard = card(page, 'Slack #old');
    await disabledCard.getByText('Disabled', { exact: true }).waitFor();
    await disabledCard.getByText(reason).waitFor();
    await disabledCard.getByText('No deliveries yet').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'channels-health');

    const link = failingCard.getByRole('link', { name: 'Deliveries of Webhook broken' });
    expect(await link.getAttribute('href')).toBe(
      `/stacks/${encodeURIComponent(stackId)}/deliveries?channelId=${encodeURIComponent(failing.id)}`,
    );
    await link.click();
    await page.waitForURL(`**/deliveries?channelId=${failing.id}`);
    await page.getByRole('link', { name: 'Deliveries', exact: true }).waitFor();
    expect(
      await page.getByRole('link', { name: 'Deliveries', exact: true }).getAttribute('aria-current'),
    ).toBe('page');
    expect(problems).toEqual([]);
    await page.close();

    const member = await server.addUser(owner, Role.MEMBER);
    const asMember = await openPage(`/stacks/${stackId}/notifications`, member.token);
    await card(asMember.page, 'Webhook refused')
      .getByText('The receiver at 127.0.0.1:1 refused the connection.')
      .waitFor();
    expect(await asMember.page.getByRole('button', { name: 'Add a channel' }).count()).toBe(0);
    expect(
      await asMember.page.getByRole('button', { name: /^(Edit|Remove|Message template of) / }).count(),
    ).toBe(0);
    expect(await card(asMember.page, 'Slack #deploys').textContent()).toContain(
      'Set up by an owner or admin.',
    );
    await card(asMember.page, 'Webhook broken')
      .getByRole('link', { name: 'Deliveries of Webhook broken' })
      .waitFor();
    await expectAccessible(asMember.page);
    await asMember.page.setViewportSize(PHONE);
    await expectFitsWidth(asMember.page);
    await screenshot(asMember.page, 'channels-member-phone');
    expect(asMember.problems).toEqual([]);
    await asMember.page.close();
    expect([ok.id, refused.id]).toHaveLength(2);
  }, 90_000);
});

describe('the message template editor', () => {
  test('previews as you type, shows an error at its line and column, saves, and resets to the built-in text', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner, 'checkout');
    const slack = await createChannel(owner, stackId, {
      name: 'Slack #deploys',
      slack: { url: peers.slack.url },
    });
    const { page, problems } = await openPage(`/stacks/${stackId}/notifications`, owner.token);

    const opener = page.getByRole('button', { name: 'Message template of Slack #deploys' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Slack #deploys: message template' });
    const editor = dialog.getByLabel('Message (Liquid)');
    const preview = dialog.getByTestId('template-preview');
    await dialog.getByText('The built-in text').waitFor();
    const builtIn = await editor.inputValue();
    expect(builtIn.length).toBeGreaterThan(0);

    // Typing at once after choosing an event type: the editor waits for that type's text, and the edit stays.
    await dialog.getByLabel('For').selectOption('STACK_REDEPLOY_OK');
    await editor.fill('*{{ stack.name }}* is on `{{ data.commit }}`');
    await dialog.getByText(/Your edit, not saved yet, with a sample stack\.redeploy\.ok event/).waitFor();
    expect(await editor.inputValue()).toBe('*{{ stack.name }}* is on `{{ data.commit }}`');
    await eventually(
      () => preview.textContent(),
      (text) => text?.startsWith('*checkout* is on `') ?? false,
    );

    await editor.fill('Hello {{ titel }}');
    const problem = dialog.locator('.template-problem');
    await eventually(
      () => problem.textContent(),
      (text) => /^Line 1, column \d+: undefined variable: titel/.test(text ?? ''),
    );
    expect(await editor.getAttribute('aria-invalid')).toBe('true');
    expect(await editor.getAttribute('aria-describedby')).toBe(await problem.getAttribute('id'));
    await expectAccessible(page);
    await screenshotViewport(page, 'template-error');

    await editor.fill('{{ title }} on {{ stack_line }}: {{ data.commit }}');
    await eventually(
      () => problem.textContent(),
      (text) => text === '',
    );
    expect(await editor.getAttribute('aria-invalid')).toBeNull();
    expect(await preview.textContent()).toMatch(/ on checkout \(production\): /);
    await dialog.getByRole('button', { name: 'Save template' }).click();
    await dialog.getByText('Saved.').waitFor();
    const stored = async () =>
      dataOf(
        await server.request(
          StackMessageTemplatesDocument,
          { id: stackId, channelId: slack.id },
          owner.token,
        ),
      ).stack!.messageTemplates;
    expect((await stored()).map((template) => [template.eventType, template.template])).toEqual([
      ['STACK_REDEPLOY_OK', '{{ title }} on {{ stack_line }}: {{ data.commit }}'],
    ]);
    await screenshotViewport(page, 'template-editor');
    await page.setViewportSize(PHONE);
    await expectFitsWidth(page);
    await screenshotViewport(page, 'template-editor-phone');
    await page.setViewportSize(DESKTOP);

    await dialog.getByRole('button', { name: 'Reset to built-in text' }).click();
    await eventually(
      () => editor.inputValue(),
      (text) => text !== '{{ title }} on {{ stack_line }}: {{ data.commit }}',
    );
    await dialog.getByText('The built-in text', { exact: false }).first().waitFor();
    expect(await stored()).toEqual([]);
    expect(await dialog.getByRole('button', { name: 'Reset to built-in text' }).isDisabled()).toBe(true);

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await focusedElement(page)).label).toBe('Message template of Slack #deploys');
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  test("edits the stack's email subject and text with the preview following", async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner, 'mail');
    const { page, problems } = await openPage(`/stacks/${stackId}/notifications`, owner.token);
    await page.getByRole('button', { name: 'Email template of this stack' }).click();
    const dialog = page.getByRole('dialog', { name: 'Email: message template' });
    const subject = dialog.getByLabel('Subject');
    await dialog.getByText('The built-in text').waitFor();
    await subject.fill('[{{ stack.name }}] {{ title }}');
    await dialog.getByLabel('Text of the email (Liquid)').fill('Look: {{ title }}');
    await eventually(
      async () => [
        await dialog.locator('.preview-subject').textContent(),
        await dialog.getByTestId('template-preview').textContent(),
      ],
      ([shownSubject, text]) =>
        (shownSubject?.startsWith('Subject: [mail] ') ?? false) && (text?.startsWith('Look: ') ?? false),
    );
    await subject.fill('{% if %}');
    await eventually(
      () => subject.getAttribute('aria-invalid'),
      (value) => value === 'true',
    );
    await expectAccessible(page);
    await subject.fill('[{{ stack.name }}] {{ title }}');
    await dialog.getByRole('button', { name: 'Save template' }).click();
    await dialog.getByText('Saved.').waitFor();
    const templates = dataOf(
      await server.request(StackMessageTemplatesDocument, { id: stackId, channel: 'EMAIL' }, owner.token),
    ).stack!.messageTemplates;
    expect(templates.map((template) => [template.eventType, template.subject, template.template])).toEqual([
      [null, '[{{ stack.name }}] {{ title }}', 'Look: {{ title }}'],
    ]);
    await screenshotViewport(page, 'template-email');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
