// The stack's notification settings: its channels and the event x channel grid.
import { useId, useState } from 'preact/hooks';
import { isSharedChannel, type ColumnFix, type SharedChannelKind } from '../channels';
import type { ChannelSettingsFragment, GridChannelFragment, StackSettingsQuery } from '../graphql/generated';
import { canManageStacks, useSession } from '../hooks/session';
import type { BrowserAlerts } from '../hooks/useBrowserAlerts';
import { usePreferenceToggles } from '../hooks/usePreferenceToggles';
import { useNavigation } from '../hooks/useRoute';
import type { QueryState } from '../hooks/useQuery';
import { ChannelCards } from './ChannelCards';
import { ChannelDialog } from './ChannelDialog';
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
  const [dialogKind, setDialogKind] = useState<SharedChannelKind | null>(null);
  const channelsHeading = useId();
  const gridHeading = useId();
  const stack = settings.data?.stack;
  if (!stack) return <p class="hint">Loading settings…</p>;
  const dialogChannel = stack.channels.find((channel) => channel.kind === dialogKind);

  function channelChanged(changed: ChannelSettingsFragment) {
    settings.update(({ stack: current }) => ({
      stack: {
        ...current,
        channels: current.channels.map((channel) => (channel.kind === changed.kind ? changed : channel)),
      },
    }));
    // The grid's columns are the stack's channels: read again, so one set up or removed gets or loses its column.
    void settings.reload();
  }

  // What "Set up" does in the grid for a channel that sends nothing now.
  function setUpAction(column: GridChannelFragment, fix: ColumnFix): (() => void) | null {
    if (fix === 'turn-on-browser') return () => void alerts.toggle();
    if (fix === 'add-ios-device') return () => navigate({ name: 'devices' });
    if (fix !== 'set-up-channel' || !canManageStacks(viewer) || !isSharedChannel(column.kind)) return null;
    const kind = column.kind;
    // The dialog edits the stack's oldest channel of a kind: offered only for that one.
    const oldest = stack?.sharedChannels.find((channel) => channel.kind === kind);
    return oldest?.channelId === column.channelId ? () => setDialogKind(kind) : null;
  }

  return (
    <>
      <section aria-labelledby={channelsHeading}>
        <h2 id={channelsHeading}>Channels</h2>
        <ChannelCards
          channels={stack.channels}
          alerts={alerts}
          onSetUp={canManageStacks(viewer) ? setDialogKind : null}
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
      {dialogKind && dialogChannel && (
        <ChannelDialog
          stackId={stackId}
          kind={dialogKind}
          channel={dialogChannel}
          onChanged={channelChanged}
          onClose={() => setDialogKind(null)}
        />
      )}
    </>
  );
}
