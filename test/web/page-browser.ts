// Chromium for the stack notifications page's tests, and what they read back from it: the notifications the
// service worker shows, the service worker's registration (for CDP), and the server's live subscriptions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { ARTIFACTS, CHROMIUM } from '../helpers/browser';

/** Headless Chromium as root, with the flags that keep it from reaching out on a closed network. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

// The page's tests drive a real browser against a real server on a busy two-core machine: in CI a test that fails
// runs once more and its first failure is printed, so a timing flake shows in the log instead of stopping the run.
if (process.env.CI) jest.retryTimes(1, { logErrorsBeforeRetry: true });

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

export interface PageBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * A persistent context on a new, empty profile: unlike playwright's incognito-like contexts it has push messaging
 * and persistent notifications, which the service worker needs.
 */
export async function launchPageBrowser(): Promise<PageBrowser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-notifications-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: DESKTOP,
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Where the page keeps the token it signs in with (web/src/storage.ts). */
export const TOKEN_KEY = 'stack-notifications:token';

/**
 * A new tab signed in with `token` (nothing else kept in its storage) and opened at `origin` + `path`, with its console
 * problems collected.
 */
export async function openSignedIn(
  context: BrowserContext,
  origin: string,
  path: string,
  token: string,
): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems = collectPageProblems(page);
  await page.goto(`${origin}/`);
  await page.evaluate(
    ([key, value]) => {
      localStorage.clear();
      localStorage.setItem(key, value);
    },
    [TOKEN_KEY, token] as const,
  );
  await page.goto(`${origin}${path}`);
  return { page, problems };
}

/** Console errors and CSP refusals on a page: a test ends by expecting none. */
export function collectPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

/** The whole page, as long as it is, into test/artifacts/page-<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `page-${name}.png`), fullPage: true });
}

/** What the screen shows now (a dialog over the page), into test/artifacts/page-<name>.png. */
export async function screenshotViewport(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `page-${name}.png`) });
}

export interface ShownNotification {
  title: string;
  body: string;
  tag: string;
}

/** The notifications the page's service worker registration shows now (persistent notifications). */
export function shownNotifications(page: Page): Promise<ShownNotification[]> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const notifications = await registration.getNotifications();
    return notifications.map(({ title, body, tag }) => ({ title, body, tag }));
  });
}

/** Polls until the service worker shows a notification with this tag (a Notification's id). */
export async function waitForNotification(
  page: Page,
  tag: string,
  timeoutMs = 10_000,
): Promise<ShownNotification> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const shown = (await shownNotifications(page)).find((notification) => notification.tag === tag);
    if (shown) return shown;
    if (Date.now() > deadline) {
      throw new Error(
        `no notification tagged ${tag}; shown: ${JSON.stringify(await shownNotifications(page))}`,
      );
    }
    await page.waitForTimeout(100);
  }
}

/** Service worker registrations by scope, as the DevTools protocol reports them on this session. */
export async function watchServiceWorkers(cdp: CDPSession): Promise<Map<string, string>> {
  const registrations = new Map<string, string>();
  cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations: updated }) => {
    for (const registration of updated) {
      if (registration.isDeleted) registrations.delete(registration.scopeURL);
      else registrations.set(registration.scopeURL, registration.registrationId);
    }
  });
  await cdp.send('ServiceWorker.enable');
  return registrations;
}

/** How many subscriptions the server has open, from its Prometheus metrics. */
export async function activeSubscriptions(origin: string): Promise<number> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  const match = /^graphql_active_subscriptions(?:\{[^}]*\})? (\d+)/m.exec(text);
  return match ? Number(match[1]) : 0;
}

/** Waits until the server has at least `count` live subscriptions (the page's socket is subscribed). */
export async function waitForSubscriptions(origin: string, count = 1, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await activeSubscriptions(origin)) < count) {
    if (Date.now() > deadline)
      throw new Error(`fewer than ${count} live subscriptions after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * Runs axe-core on what the page shows now and returns its serious and critical violations, each as one line.
 * axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  const source = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context: Document, options: object) => Promise<unknown> } }
    ).axe;
    const results = (await axe.run(document, { resultTypes: ['violations'] })) as { violations: unknown[] };
    return results.violations;
  });
  return (violations as AxeViolation[])
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} at ${violation.nodes
          .map((node) => JSON.stringify(node.target))
          .join(', ')}`,
    );
}

/**
 * Presses Tab until the focused element's accessible text matches `name` (at most `maxPresses` times), as a person
 * using only the keyboard would reach it; fails if it is never reached.
 */
export async function tabTo(page: Page, name: RegExp, maxPresses = 60): Promise<void> {
  for (let pressed = 0; pressed < maxPresses; pressed++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element) return '';
      const labelledBy = element.getAttribute('aria-labelledby');
      const label =
        element.getAttribute('aria-label') ??
        (labelledBy ? document.getElementById(labelledBy)?.textContent : null) ??
        (element.id ? document.querySelector(`label[for="${element.id}"]`)?.textContent : null) ??
        element.closest('label')?.textContent ??
        element.textContent ??
        '';
      return label.trim();
    });
    if (name.test(focused)) return;
  }
  throw new Error(`Tab never reached ${name} in ${maxPresses} presses`);
}

/** The focused element's tag, role, accessible text and attributes that tests read. */
export function focusedElement(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return {
      tag: element?.tagName.toLowerCase() ?? '',
      text: element?.textContent?.trim() ?? '',
      label: element?.getAttribute('aria-label') ?? '',
      notificationId: element?.getAttribute('data-notification-id') ?? null,
    };
  });
}
