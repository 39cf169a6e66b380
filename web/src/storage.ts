// What the page keeps in the browser: the API token and whether this browser shows notifications.
// localStorage can throw (storage disabled, quota), in which case the page works for this visit only.

const TOKEN_KEY = 'stack-notifications:token';
const BROWSER_ALERTS_KEY = 'stack-notifications:browser-alerts';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Not persisted; see above.
  }
}

export const storedToken = (): string | null => read(TOKEN_KEY);
export const storeToken = (token: string | null): void => write(TOKEN_KEY, token);

export const browserAlertsWanted = (): boolean => read(BROWSER_ALERTS_KEY) === 'on';
export const storeBrowserAlertsWanted = (on: boolean): void => write(BROWSER_ALERTS_KEY, on ? 'on' : null);
