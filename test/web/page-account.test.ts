// The page's account pages in Chromium against the real server: people (add, change a role, remove, by the API's
// rules), API tokens (a new one by keyboard alone, its secret once and copied, revoked) and the viewer's devices.
import type { Page } from 'playwright-core';
import { Role } from '../../src/modules/accounts/user.entity';
import {
  MeDocument,
  RegisterIosDeviceDocument,
  RegisterWebPushSubscriptionDocument,
  StackChannelsDocument,
} from '../generated/graphql';
import { browserAvailable } from '../helpers/browser';
import { dataOf, errorCode, graphqlRequest } from '../helpers/graphql';
import { startTestServer, type TestServer } from '../helpers/server';
import { apnsToken, createStack, webPushSubscription } from '../helpers/settings-fixtures';
import { buildPageIfStale } from './build-page';
import {
  focusedElement,
  launchPageBrowser,
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
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
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

async function rolesOf(token: string): Promise<Record<string, string>> {
  const { me } = dataOf(await server.request(MeDocument, {}, token));
  return Object.fromEntries(me.account.users.map((user) => [user.email, user.role]));
}

describe('the people page', () => {
  test('lets an owner add a person, change their role and remove them', async () => {
    const owner = await server.createAccount();
    const { page, problems } = await openPage('/people', owner.token);
    await page.getByRole('heading', { name: /^People/ }).waitFor();
    await page.getByRole('main').getByText(owner.email).waitFor();

    await page.getByRole('button', { name: 'Add person' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a person' });
    await dialog.getByLabel('Name').fill('Ada');
    await dialog.getByLabel('Email').fill('not an address');
    await dialog.getByRole('button', { name: 'Add person' }).click();
    await dialog.locator('.field-error').waitFor();
    await expectAccessible(page);
    await screenshotViewport(page, 'people-add-invalid');
    const email = `ada-${Date.now()}@example.com`;
    await dialog.getByLabel('Email').fill(email);
    await dialog.getByLabel('Role').selectOption('ADMIN');
    await dialog.getByRole('button', { name: 'Add person' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Ada was added as Admin.' }).waitFor();
    expect((await rolesOf(owner.token))[email]).toBe('ADMIN');

    await page.getByLabel('Role of Ada').selectOption('MEMBER');
    await page.getByRole('status').filter({ hasText: 'Ada is now Member.' }).waitFor();
    expect((await rolesOf(owner.token))[email]).toBe('MEMBER');
    await expectAccessible(page);
    await screenshot(page, 'people');

    await page.getByRole('button', { name: 'Remove Ada' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove Ada?' });
    await confirm.getByText('their API tokens stop working').waitFor();
    await expectAccessible(page);
    await confirm.getByRole('button', { name: 'Remove Ada' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByRole('main').getByText(email).waitFor({ state: 'detached' });
    expect(await rolesOf(owner.token)).not.toHaveProperty(email);
    // The server answers a variable that is not an email address with 400, as GraphQL over HTTP has it.
    expect(problems.filter((problem) => !/status of 400 \(Bad Request\)/.test(problem))).toEqual([]);
    expect(problems).toHaveLength(1);
    await page.close();
  }, 60_000);

  test("shows an admin the owner's role without a way to change it, and a member no controls at all", async () => {
    const owner = await server.createAccount();
    const admin = await server.addUser(owner, Role.ADMIN);
    const member = await server.addUser(owner, Role.MEMBER);

    const asAdmin = await openPage('/people', admin.token);
    await asAdmin.page.getByRole('main').getByText(member.email).waitFor();
    // Only an OWNER gives or takes the OWNER role: an admin changes members and admins only.
    expect(await asAdmin.page.getByRole('main').getByRole('combobox').count()).toBe(2);
    const adminsChoices = await asAdmin.page
      .getByRole('combobox')
      .first()
      .locator('option')
      .allTextContents();
    expect(adminsChoices).not.toContain('Owner');
    expect(await asAdmin.page.getByRole('button', { name: /^Remove/ }).count()).toBe(1);
    expect(asAdmin.problems).toEqual([]);
    await asAdmin.page.close();

    const asMember = await openPage('/people', member.token);
    await asMember.page.getByText('An owner or admin adds people').waitFor();
    await asMember.page.getByRole('main').getByText(owner.email).waitFor();
    expect(await asMember.page.getByRole('main').getByRole('combobox').count()).toBe(0);
    expect(await asMember.page.getByRole('button', { name: /^Remove|^Add person/ }).count()).toBe(0);
    await expectAccessible(asMember.page);
    await screenshot(asMember.page, 'people-member');
    expect(asMember.problems).toEqual([]);
    await asMember.page.close();
  }, 60_000);
});

describe('the API tokens page', () => {
  test('creates a token by keyboard alone, shows its secret once with a copy button, and revokes it', async () => {
    const owner = await server.createAccount();
    const { page, problems } = await openPage('/tokens', owner.token);
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await page.getByText('this browser', { exact: true }).waitFor();
    expect(await page.title()).toBe('API tokens · Stack notifications');

    await tabTo(page, /^New token$/);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'New API token' });
    await dialog.waitFor();
    expect((await focusedElement(page)).tag).toBe('input');
    await page.keyboard.type('deployer');
    await tabTo(page, /Read settings/, 3);
    await page.keyboard.press('Space');
    await tabTo(page, /^Create token$/, 5);
    await expectAccessible(page);
    await screenshotViewport(page, 'token-create');
    await page.keyboard.press('Enter');

    const shown = page.getByRole('dialog', { name: 'Your new token' });
    await shown.getByText('it is shown only this once').waitFor();
    const secret = await shown.getByLabel('Token').inputValue();
    expect((await focusedElement(page)).tag).toBe('input');
    await tabTo(page, /^Copy$/, 2);
    await page.keyboard.press('Enter');
    await shown.getByRole('status').filter({ hasText: 'Copied to the clipboard.' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await expectAccessible(page);
    await screenshotViewport(page, 'token-secret');

    // The secret works, with the scopes chosen: reading, not changing.
    const { me } = dataOf(await graphqlRequest(server.url, MeDocument, {}, secret));
    expect(me.email).toBe(owner.email);
    await page.keyboard.press('Escape');
    await shown.waitFor({ state: 'detached' });
    expect((await focusedElement(page)).text).toBe('New token');
    const row = page.getByRole('listitem').filter({ hasText: 'deployer' });
    await row.getByText('settings:read, events:publish').waitFor();
    expect(await page.getByText(secret).count()).toBe(0);

    await row.getByRole('button', { name: 'Revoke deployer' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke deployer?' });
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await confirm.waitFor({ state: 'detached' });
    await row.getByText('revoked', { exact: true }).waitFor();
    expect(errorCode(await graphqlRequest(server.url, MeDocument, {}, secret))).toBe('UNAUTHENTICATED');
    await expectAccessible(page);
    await screenshot(page, 'tokens');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});

describe('the devices page', () => {
  test("lists the viewer's iOS devices and browsers, and removes each", async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner, 'shop');
    dataOf(
      await server.request(
        RegisterIosDeviceDocument,
        { input: { token: apnsToken(), deviceName: "Ada's iPhone" } },
        owner.token,
      ),
    );
    const subscription = webPushSubscription();
    dataOf(await server.request(RegisterWebPushSubscriptionDocument, { input: subscription }, owner.token));
    // Another person's devices are theirs alone.
    const other = await server.addUser(owner, Role.MEMBER);
    dataOf(
      await server.request(
        RegisterIosDeviceDocument,
        { input: { token: apnsToken(), deviceName: "Bob's iPad" } },
        other.token,
      ),
    );

    const { page, problems } = await openPage('/devices', owner.token);
    await page.getByRole('heading', { name: 'Your devices' }).waitFor();
    await page.getByRole('paragraph').filter({ hasText: "Ada's iPhone" }).waitFor();
    expect(await page.getByText("Bob's iPad").count()).toBe(0);
    const browserRow = page.getByRole('listitem').filter({ hasText: 'Browser via push.example.com' });
    await browserRow.waitFor();
    await expectAccessible(page);
    await screenshot(page, 'devices');

    await browserRow.getByRole('button', { name: 'Remove Browser via push.example.com' }).click();
    await page
      .getByRole('dialog', { name: 'Remove Browser via push.example.com?' })
      .getByRole('button', { name: 'Remove' })
      .click();
    await page.getByRole('status').filter({ hasText: 'Browser via push.example.com was removed.' }).waitFor();
    await browserRow.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: "Remove Ada's iPhone" }).click();
    await page
      .getByRole('dialog', { name: "Remove Ada's iPhone?" })
      .getByRole('button', { name: 'Remove' })
      .click();
    await page.getByRole('status').filter({ hasText: "Ada's iPhone was removed." }).waitFor();
    await page.getByRole('listitem').filter({ hasText: "Ada's iPhone" }).waitFor({ state: 'detached' });
    const { stack } = dataOf(await server.request(StackChannelsDocument, { id: stackId }, owner.token));
    const owned = Object.fromEntries(
      stack.channels.map((channel) => [
        channel.kind,
        'devices' in channel
          ? channel.devices
          : 'webPushSubscriptions' in channel
            ? channel.webPushSubscriptions
            : null,
      ]),
    );
    expect(owned).toMatchObject({ IOS: [], BROWSER: [] });
    const { stack: othersView } = dataOf(
      await server.request(StackChannelsDocument, { id: stackId }, other.token),
    );
    const othersIos = othersView.channels.find((channel) => channel.kind === 'IOS');
    expect(
      othersIos && 'devices' in othersIos && othersIos.devices.map((device) => device.deviceName),
    ).toEqual(["Bob's iPad"]);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
