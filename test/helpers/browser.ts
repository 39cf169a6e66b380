// Debian's Chromium driven by playwright-core, for tests of the pages this server serves. Without /usr/bin/chromium
// the browser tests skip with one line, except under CI=true, where that is a failure.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function browserAvailable(): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`CI=true and there is no Chromium at ${CHROMIUM}`);
  console.log(`skipping browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  return false;
}

/** playwright-core starts Chromium with a new, empty profile of its own each time. */
export async function launchBrowser(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

export const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');
