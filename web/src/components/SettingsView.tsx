// The stack's notification settings: its channels and the event x channel grid.
import { useId } from 'preact/hooks';
import type { StackSettingsQuery } from '../graphql/generated';
import { canManageStacks, useSession } from '../hooks/session';
import type { BrowserAlerts } from '../hooks/useBrowserAlerts';
import { usePreferenceToggles } from '../hooks/usePreferenceToggles';
import type { QueryState } from '../hooks/useQuery';
import { ChannelCards } from './ChannelCards';
import { FormError } from './FormError';
import { PreferenceGrid } from './PreferenceGrid';

export interface SettingsViewProps {
  stackId: string;
  settings: QueryState<StackSettingsQuery>;
  alerts: BrowserAlerts;
}

export function SettingsView({ stackId, settings, alerts }: SettingsViewProps) {
  const { viewer } = useSession();
  const toggles = usePreferenceToggles(stackId, settings);
  const channelsHeading = useId();
  const gridHeading = useId();
  const stack = settings.data?.stack;
  if (!stack) return <p class="hint">Loading settings…</p>;

  return (
    <>
      <section aria-labelledby={channelsHeading}>
        <h2 id={channelsHeading}>Channels</h2>
        <ChannelCards
          stackId={stackId}
          alerts={alerts}
          canManage={canManageStacks(viewer)}
          onChannelsChanged={() => void settings.reload()}
        />
      </section>
      <section aria-labelledby={gridHeading}>
        <h2 id={gridHeading}>Events</h2>
        <p class="hint">Tick where each event is sent. Every change is saved at once.</p>
        <FormError message={toggles.error} />
        <PreferenceGrid rows={stack.preferences} channels={stack.channels} toggles={toggles} />
      </section>
    </>
  );
}
