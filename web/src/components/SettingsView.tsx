// The stack's notification settings: its channels and the event x channel grid.
import { useId, useState } from 'preact/hooks';
import type { ColumnFix } from '../channels';
import type { GridChannelFragment, StackSettingsQuery } from '../graphql/generated';
import { canManageStacks, useSession } from '../hooks/session';
import type { BrowserAlerts } from '../hooks/useBrowserAlerts';
import { usePreferenceToggles } from '../hooks/usePreferenceToggles';
import { useNavigation } from '../hooks/useRoute';
import type { QueryState } from '../hooks/useQuery';
import { ChannelCards } from './ChannelCards';
import { PreferenceGrid } from './PreferenceGrid';

export interface SettingsViewProps {
  stackId: string;
  settings: QueryState<StackSettingsQuery>;
  alerts: BrowserAlerts;
}

export function SettingsView({ stackId, settings, alerts }: SettingsViewProps) {
  const { viewer } = useSession();
  const toggles = usePreferenceToggles(stackId, settings);
  const { navigate } = useNavigation();
  const [editRequest, setEditRequest] = useState<{ channelId: string } | null>(null);
  const channelsHeading = useId();
  const gridHeading = useId();
  const stack = settings.data?.stack;
  if (!stack) return <p class="hint">Loading settings…</p>;

  // What "Set up" does in the grid for a channel that sends nothing now.
  function setUpAction(column: GridChannelFragment, fix: ColumnFix): (() => void) | null {
    if (fix === 'turn-on-browser') return () => void alerts.toggle();
    if (fix === 'add-ios-device') return () => navigate({ name: 'devices' });
    if (fix !== 'set-up-channel' || !canManageStacks(viewer) || column.scope !== 'SHARED') return null;
    const channelId = column.channelId;
    return channelId ? () => setEditRequest({ channelId }) : null;
  }

  return (
    <>
      <section aria-labelledby={channelsHeading}>
        <h2 id={channelsHeading}>Channels</h2>
        <ChannelCards
          stackId={stackId}
          alerts={alerts}
          canManage={canManageStacks(viewer)}
          // The grid's columns are the stack's channels: read again, so one added or removed gets or loses its column.
          onChannelsChanged={() => void settings.reload()}
          editRequest={editRequest}
        />
      </section>
      <section aria-labelledby={gridHeading}>
        <h2 id={gridHeading}>Events</h2>
        <p class="hint">Tick where each event is sent. Every change is saved at once.</p>
        <PreferenceGrid
          rows={stack.preferences}
          columns={[...stack.personalChannels, ...stack.sharedChannels]}
          canChangeShared={canManageStacks(viewer)}
          context={{ browserOn: alerts.on, browserSupported: alerts.supported }}
          toggles={toggles}
          setUpAction={setUpAction}
        />
      </section>
    </>
  );
}
