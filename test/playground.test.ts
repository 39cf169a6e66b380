// The playground in a real browser: GraphiQL from this server's own files, under its content security policy,
// opening with the local token, running a query and a live subscription over graphql-ws.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { Scope } from '../src/modules/accounts/api-token.entity';
import { writeLocalToken } from '../src/playground';
import { CreateStackDocument, PublishEventDocument } from './generated/graphql';
import { ARTIFACTS, browserAvailable, launchBrowser } from './helpers/browser';
import { dataOf } from './helpers/graphql';
import { startTestServer, type Session, type TestServer } from './helpers/server';

const available = browserAvailable();
let server: TestServer;
let owner: Session;
let browser: Browser;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  if (!available) return;
  server = await startTestServer({ LOCAL_MODE: 'true' });
  owner = await server.createAccount();
  writeLocalToken(server.config.dataDir, owner.token);
  ({ browser, close: closeBrowser } = await launchBrowser());
  fs.mkdirSync(ARTIFACTS, { recursive: true });
}, 60_000);
afterAll(async () => {
  await closeBrowser?.();
  await server?.close();
});

(available ? it : it.skip)(
  'opens with the local token, runs a query, and shows a subscription event the moment it is published',
  async () => {
    const { createStack } = dataOf(
      await server.request(
        CreateStackDocument,
        { input: { name: 'web', environment: 'production' } },
        owner.token,
      ),
    );
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.addInitScript(() => {
      localStorage.setItem(
        'graphiql:query',
        'subscription { notificationReceived { id eventKey stack { name } } }',
      );
    });
    await page.goto(server.url);
    await page.waitForSelector('.graphiql-container', { timeout: 15_000 });
    expect(await page.textContent('.graphiql-editors')).toContain('notificationReceived');
    await page.click('.graphiql-execute-button');
    // The socket subscribes asynchronously; publish until the first event shows, as a second tab would.
    const publisher = await server.createToken(owner, [Scope.EVENTS_PUBLISH]);
    const deadline = Date.now() + 15_000;
    let id: string;
    for (;;) {
      ({ id } = dataOf(
        await server.request(
          PublishEventDocument,
          { input: { stackId: createStack.id, eventType: 'STACK_REDEPLOY_OK', data: { commit: 'abc' } } },
          publisher,
        ),
      ).publishEvent);
      const text = (await page.textContent('.result-window')) ?? '';
      if (text.includes('stack.redeploy.ok')) break;
      if (Date.now() > deadline) throw new Error(`no event in the result pane: ${text}`);
      await page.waitForTimeout(300);
    }
    await page.waitForFunction(
      (expected) => document.querySelector('.result-window')?.textContent?.includes(expected),
      id,
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-subscription.png') });
    expect(problems.filter((text) => /Content Security Policy|Refused/.test(text))).toEqual([]);
    await page.close();
  },
  60_000,
);
