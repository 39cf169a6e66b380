// The switch for notifications in this browser, with what it could and could not turn on.
import { useId } from 'preact/hooks';
import type { BrowserAlerts, PushState } from '../hooks/useBrowserAlerts';

const PUSH_STATUS: Record<PushState, string> = {
  off: 'Shown while this page is open.',
  subscribing: 'Shown while this page is open; subscribing to push…',
  on: 'Shown also while this page is closed.',
  // The message says why, and that notifications show only while the page is open.
  unavailable: '',
  failed: 'Shown only while this page is open; push failed:',
};

export function BrowserSwitch({ alerts }: { alerts: BrowserAlerts }) {
  const statusId = useId();
  const status = alerts.on ? PUSH_STATUS[alerts.push] : 'Off in this browser.';
  return (
    <div class="browser-switch">
      <button
        type="button"
        role="switch"
        class="switch"
        aria-checked={alerts.on}
        aria-describedby={statusId}
        disabled={!alerts.supported || alerts.busy}
        onClick={() => void alerts.toggle()}
      >
        <span class="switch-track" aria-hidden="true">
          <span class="switch-thumb" />
        </span>
        <span>Notifications in this browser</span>
      </button>
      <p id={statusId} class="hint" role="status">
        {alerts.supported
          ? [status, alerts.message].filter(Boolean).join(' ')
          : "This browser can't show notifications."}
      </p>
    </div>
  );
}
