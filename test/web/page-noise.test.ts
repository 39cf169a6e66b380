// The page's noise control in Chromium against the real server: the viewer's quiet hours (a sentence saying what will
// happen, the API's errors beside their fields, off again), a stack's severities per event (changed and reset by
// keyboard, read-only for members, whom the API refuses too) and its digests per channel, at 1440 and 390 px.
import type { Page } from 'playwright-core';
import { Role } from '../../src/modules/accounts/user.entity';
import {
  CreateChannelDocument,
  MyQuietHoursDocument,
  SetDigestDocument,
  SetEventSeverityDocument,
  StackDigestsDocument,
  StackEventSeveritiesDocument,
  StackFlappingDocument,
} from '../generated/graphql';
import { browserAvailable } from '../helpers/browser';
import { dataOf, errorCode } from '../helpers/graphql';
import { startTestServer, type Session, type TestServer } from '../helpers/server';
import { createStack } from '../helpers/settings-fixtures';
import { buildPageIfStale } from './build-page';
import {
  DESKTOP,
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

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
}

async function quietHoursOf(session: Session) {
  return dataOf(await server.request(MyQuietHoursDocument, {}, session.token)).me.quietHours;
}

async function severityOf(session: Session, stackId: string, eventType: string) {
  const { stack } = dataOf(
    await server.request(StackEventSeveritiesDocument, { id: stackId }, session.token),
  );
  return stack!.eventSeverities.find((setting) => setting.eventType === eventType)!;
}

async function digestsOf(session: Session, stackId: string) {
  return dataOf(await server.request(StackDigestsDocument, { id: stackId }, session.token)).stack!.digests;
}

describe('quiet hours', () => {
  test('are set in the browser’s zone by default, say what will happen, show the API’s errors and turn off', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const { page, problems } = await openPage(`/stacks/${stackId}/notifications`, owner.token);

    await page
      .getByRole('navigation', { name: 'Account' })
      .getByRole('link', { name: 'Quiet hours' })
      .click();
    await page.getByRole('heading', { name: 'Quiet hours', level: 1 }).waitFor();
    expect(await page.title()).toBe('Quiet hours · Stack notifications');
    expect(new URL(page.url()).pathname).toBe('/quiet-hours');
    await page.getByText('Quiet hours are off: every notification reaches you at once.').waitFor();
    const browserZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    const zone = page.getByLabel('Time zone');
    expect(await zone.inputValue()).toBe(browserZone);
    expect(await zone.isDisabled()).toBe(true);
    expect(await zone.locator('option').count()).toBeGreaterThan(300);
    await expectAccessible(page);

    // By keyboard: the switch, then the days.
    await tabTo(page, /^Quiet hours$/);
    expect((await focusedElement(page)).tag).toBe('button');
    await page.keyboard.press('Space');
    const toggle = page.getByRole('switch', { name: 'Quiet hours' });
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    expect(await zone.isDisabled()).toBe(false);
    await zone.selectOption('Europe/Berlin');
    await page.getByLabel('From').fill('22:00');
    await page.getByLabel('Until').fill('07:00');
    await page.getByText('The next day.').waitFor();
    await tabTo(page, /^Sat/, 12);
    await page.keyboard.press('Space');
    await tabTo(page, /^Sun/, 2);
    await page.keyboard.press('Space');
    const sentence =
      'From 22:00 to 07:00 Europe/Berlin on weekdays, only critical notifications reach you at once; the rest ' +
      'arrive as one summary at 07:00.';
    await page.locator('.noise-preview').getByText(sentence).waitFor();

    // The same start and end: the API's words beside "Until".
    await page.getByLabel('Until').fill('22:00');
    await page.getByRole('button', { name: 'Save' }).click();
    const untilError = page
      .locator('.field')
      .filter({ has: page.getByLabel('Until') })
      .locator('.field-error');
    expect(await untilError.textContent()).toBe('must differ from the start');
    expect(await page.getByLabel('Until').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);
    await screenshot(page, 'quiet-hours-error');
    expect(await quietHoursOf(owner)).toBeNull();

    // No day at all: the API says one is needed, beside the days.
    await page.getByLabel('Until').fill('07:00');
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) {
      await page.getByRole('checkbox', { name: day }).uncheck();
    }
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .locator('.weekdays .field-error')
      .getByText('must name at least one day, or be null')
      .waitFor();
    expect(await page.getByLabel('Until').getAttribute('aria-invalid')).toBeNull();
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) {
      await page.getByRole('checkbox', { name: day }).check();
    }

    await tabTo(page, /^Save$/, 10);
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: /^Saved\.$/ })
      .waitFor();
    await page.getByTestId('quiet-hours-now').getByText(sentence).waitFor();
    expect(await page.locator('.noise-preview').count()).toBe(0);
    expect(await quietHoursOf(owner)).toEqual({
      timeZone: 'Europe/Berlin',
      start: '22:00',
      end: '07:00',
      days: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'],
    });
    await expectAccessible(page);
    await screenshot(page, 'quiet-hours');

    // What is set is what the form starts from.
    await page.reload();
    await page.getByTestId('quiet-hours-now').getByText(sentence).waitFor();
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Europe/Berlin');
    expect(await page.getByLabel('From').inputValue()).toBe('22:00');
    expect(await page.getByRole('checkbox', { name: 'Saturday' }).isChecked()).toBe(false);
    await page.setViewportSize(PHONE);
    await expectAccessible(page);
    await screenshot(page, 'quiet-hours-phone');

    await page.getByRole('switch', { name: 'Quiet hours' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved. Quiet hours are off.' }).waitFor();
    await page.getByTestId('quiet-hours-now').getByText('Quiet hours are off').waitFor();
    expect(await quietHoursOf(owner)).toBeNull();
    // The two refused saves answered 400 (BAD_USER_INPUT), which Chromium logs.
    expect(problems.filter((problem) => !/status of 400 \(Bad Request\)/.test(problem))).toEqual([]);
    await page.close();
  }, 90_000);
});

describe("a stack's severities", () => {
  test('are grouped with human names, changed and reset by keyboard, each saved at once', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner, 'shop');
    const { page, problems } = await openPage(`/stacks/${stackId}/notifications`, owner.token);

    await page
      .getByRole('navigation', { name: 'Stack pages' })
      .getByRole('link', { name: 'Noise control' })
      .click();
    await page.getByRole('heading', { name: 'Severity', level: 2 }).waitFor();
    expect(await page.title()).toBe('shop: Noise control · Stack notifications');
    expect(new URL(page.url()).pathname).toBe(`/stacks/${stackId}/noise`);
    expect(await page.getByRole('heading', { level: 3 }).allTextContents()).toEqual([
      'Deployments',
      'Servers',
      'Jobs and processes',
      'Access',
    ]);
    const jobFail = page.getByLabel('Job run failed', { exact: true });
    expect(await jobFail.inputValue()).toBe('WARNING');
    const row = page.locator('li').filter({ has: jobFail });
    await row.getByText('Default', { exact: true }).waitFor();
    expect(await page.getByLabel('Server heartbeat stopped', { exact: true }).inputValue()).toBe('CRITICAL');
    expect(await page.locator('.severity-row').count()).toBe(14);
    await expectAccessible(page);

    // Keyboard only: to the choice, one step up (Warning to Critical), saved at once.
    await tabTo(page, /^Job run failed$/, 40);
    await page.keyboard.press('ArrowUp');
    await row.getByRole('status').filter({ hasText: 'Saved: Critical on this stack.' }).waitFor();
    await row.getByText('Changed for this stack (default: Warning)').waitFor();
    expect(await severityOf(owner, stackId, 'JOB_FAIL')).toMatchObject({
      severity: 'CRITICAL',
      overridden: true,
    });
    await expectAccessible(page);
    await screenshot(page, 'noise-severity');

    await tabTo(page, /^Reset Job run failed to Warning$/, 2);
    await page.keyboard.press('Enter');
    await row.getByRole('status').filter({ hasText: 'Saved: back to the default, Warning.' }).waitFor();
    expect(await row.getByRole('button', { name: /^Reset/ }).count()).toBe(0);
    // The button went with the override: focus waits on the choice it reset.
    expect((await focusedElement(page)).tag).toBe('select');
    expect(await jobFail.inputValue()).toBe('WARNING');
    expect(await severityOf(owner, stackId, 'JOB_FAIL')).toMatchObject({
      severity: 'WARNING',
      overridden: false,
    });

    await page.setViewportSize(PHONE);
    // The three tabs on one line, each name whole.
    const tabs = await page
      .getByRole('navigation', { name: 'Stack pages' })
      .evaluate((nav) => ({ scroll: nav.scrollWidth, client: nav.clientWidth }));
    expect(tabs.scroll).toBeLessThanOrEqual(tabs.client);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshotViewport(page, 'noise-phone-top');
    await page.getByLabel('App authorized to access the account').selectOption('WARNING');
    await page
      .locator('li')
      .filter({ has: page.getByLabel('App authorized to access the account') })
      .getByRole('status')
      .filter({ hasText: 'Saved: Warning on this stack.' })
      .waitFor();
    await expectAccessible(page);
    await screenshot(page, 'noise-severity-phone');
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  test('are read-only for a member, whom the API refuses a change', async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const stackId = await createStack(server, owner, 'api');
    dataOf(
      await server.request(
        SetEventSeverityDocument,
        { stackId, eventType: 'JOB_FAIL', severity: 'CRITICAL' },
        owner.token,
      ),
    );
    const { page, problems } = await openPage(`/stacks/${stackId}/noise`, member.token);
    await page.getByText('an owner or admin of the account changes it').waitFor();
    const row = page.locator('.severity-row').filter({ hasText: 'Job run failed' });
    await row.getByText('Critical', { exact: true }).waitFor();
    await row.getByText('Changed for this stack (default: Warning)').waitFor();
    const noiseControl = page.locator('.stack-main');
    expect(await noiseControl.getByRole('combobox').count()).toBe(0);
    expect(await noiseControl.getByRole('switch').count()).toBe(0);
    expect(await noiseControl.getByRole('button', { name: /^Reset|^Save|^Use the defaults/ }).count()).toBe(
      0,
    );
    await page
      .locator('.digest-row')
      .filter({ hasText: 'Email' })
      .getByText('Off: each notification')
      .waitFor();
    await expectAccessible(page);
    await screenshot(page, 'noise-member');

    const refused = await server.request(
      SetEventSeverityDocument,
      { stackId, eventType: 'JOB_FAIL', severity: 'INFO' },
      member.token,
    );
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect(await severityOf(owner, stackId, 'JOB_FAIL')).toMatchObject({ severity: 'CRITICAL' });
    const digest = await server.request(
      SetDigestDocument,
      { stackId, channel: 'EMAIL', windowMinutes: 10, allowance: 0 },
      member.token,
    );
    expect(errorCode(digest)).toBe('FORBIDDEN');
    expect(await digestsOf(owner, stackId)).toEqual([]);

    // Another account's stack is not found, its noise control not shown.
    const stranger = await server.createAccount();
    const strangersStack = await createStack(server, stranger, 'secret');
    await page.goto(`${origin}/stacks/${strangersStack}/noise`);
    await page.getByRole('heading', { name: 'Stack not found' }).waitFor();
    expect(await page.getByText('secret').count()).toBe(0);
    expect(await page.locator('.severity-row').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});

describe("a stack's digests", () => {
  test('turn on at once per channel, change with the API’s words for bad numbers, and turn off', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner, 'jobs');
    dataOf(
      await server.request(
        CreateChannelDocument,
        { stackId, input: { name: 'Slack #deploys', slack: { url: 'http://127.0.0.1:9/slack' } } },
        owner.token,
      ),
    );
    const { page, problems } = await openPage(`/stacks/${stackId}/noise`, owner.token);
    await page.getByRole('heading', { name: 'Digests', level: 2 }).waitFor();
    const rows = page.locator('.digest-row');
    await rows.first().waitFor();
    expect(await rows.locator('.row-title').allTextContents()).toEqual([
      'Email',
      'iOS push',
      'Browser push',
      'Slack',
    ]);
    const slack = rows.filter({ hasText: 'Slack #deploys' });
    await slack.getByText('Off: each notification goes out at once.').waitFor();

    await slack.getByRole('switch', { name: 'Digest for Slack' }).click();
    await slack
      .getByRole('status')
      .filter({ hasText: /^Saved\.$/ })
      .waitFor();
    await slack
      .getByText(
        'In each window (every 10 minutes), the first 2 notifications go out at once; the rest arrive as one ' +
          'digest when the window ends.',
      )
      .waitFor();
    expect(await digestsOf(owner, stackId)).toEqual([{ channel: 'SLACK', windowMinutes: 10, allowance: 2 }]);

    // A window the API does not allow: its words beside the field, nothing changed.
    const window = slack.getByLabel('Window (minutes) for Slack');
    await window.fill('1.5');
    await window.press('Tab');
    await slack.locator('.field-error').getByText('must be a whole number of minutes').waitFor();
    // Beyond what a GraphQL Int holds: still the API's own words.
    await window.fill('99999999999');
    await window.press('Tab');
    await slack.locator('.field-error').getByText('must be 1 to 1440 minutes').waitFor();
    expect(await window.getAttribute('aria-invalid')).toBe('true');
    const allowance = slack.getByLabel('At once in each Slack window');
    expect((await focusedElement(page)).tag).toBe('input');
    await expectAccessible(page);
    await screenshot(page, 'noise-digest-error');
    await allowance.fill('1001');
    await window.fill('60');
    await allowance.press('Tab');
    await slack.locator('.field-error').getByText('must be 0 to 1000').waitFor();
    await allowance.fill('0');
    await allowance.press('Enter');
    await slack
      .getByText('In each window (every hour), nothing goes out at once;', { exact: false })
      .waitFor();
    expect(await digestsOf(owner, stackId)).toEqual([{ channel: 'SLACK', windowMinutes: 60, allowance: 0 }]);
    expect(await slack.locator('.field-error').count()).toBe(0);

    await tabTo(page, /^Digest for Email$/, 80);
    await page.keyboard.press('Space');
    await rows
      .first()
      .getByRole('status')
      .filter({ hasText: /^Saved\.$/ })
      .waitFor();
    expect((await digestsOf(owner, stackId)).map((digest) => digest.channel)).toEqual(['EMAIL', 'SLACK']);
    await expectAccessible(page);
    await screenshot(page, 'noise-digests');
    await page.setViewportSize(PHONE);
    await expectAccessible(page);
    await screenshot(page, 'noise-digests-phone');
    await page.setViewportSize(DESKTOP);

    await slack.getByRole('switch', { name: 'Digest for Slack' }).click();
    await slack.getByRole('status').filter({ hasText: 'Saved: digest off.' }).waitFor();
    await slack.getByText('Off: each notification goes out at once.').waitFor();
    expect(await digestsOf(owner, stackId)).toEqual([{ channel: 'EMAIL', windowMinutes: 10, allowance: 2 }]);

    // The flapping rule below: the API's words for a window it does not allow, then the stack's own rule.
    await page.getByLabel('Window (minutes)', { exact: true }).fill('0');
    await page.getByRole('button', { name: 'Save flapping rule' }).click();
    await page.getByText('must be a whole number from 1 to 1440').waitFor();
    await page.getByLabel('Window (minutes)', { exact: true }).fill('5');
    await page.getByRole('button', { name: 'Save flapping rule' }).click();
    await page.getByText('A subject flaps when it fails 4 times within 5 min', { exact: false }).waitFor();
    const { stack } = dataOf(await server.request(StackFlappingDocument, { id: stackId }, owner.token));
    expect(stack!.flapping).toMatchObject({ windowMinutes: 5, overridden: true });
    expect(problems.filter((problem) => !/status of 400 \(Bad Request\)/.test(problem))).toEqual([]);
    await page.close();
  }, 90_000);
});
