// The set-up dialog of a shared channel: its form, "Send test" and "Remove" once it is set up.
import { useState } from 'preact/hooks';
import { errorMessage } from '../api/errors';
import { CHANNEL_LABELS, type SharedChannelKind } from '../channels';
import { RemoveChannelDocument, type ChannelSettingsFragment } from '../graphql/generated';
import { useSession } from '../hooks/session';
import { ChannelTest } from './ChannelTest';
import { Dialog } from './Dialog';
import { FormError } from './FormError';
import { HipchatForm } from './HipchatForm';
import { SlackForm } from './SlackForm';
import { WebhookForm } from './WebhookForm';

export interface ChannelDialogProps {
  stackId: string;
  kind: SharedChannelKind;
  channel: ChannelSettingsFragment;
  onChanged: (channel: ChannelSettingsFragment) => void;
  onClose: () => void;
}

function ChannelForm({ stackId, channel, onChanged }: Omit<ChannelDialogProps, 'kind' | 'onClose'>) {
  switch (channel.__typename) {
    case 'HipchatChannel':
      return <HipchatForm stackId={stackId} channel={channel} onSaved={onChanged} />;
    case 'SlackChannel':
      return <SlackForm stackId={stackId} channel={channel} onSaved={onChanged} />;
    case 'WebhookChannel':
      return <WebhookForm stackId={stackId} channel={channel} onSaved={onChanged} />;
    default:
      return null;
  }
}

export function ChannelDialog({ stackId, kind, channel, onChanged, onClose }: ChannelDialogProps) {
  const { api } = useSession();
  const [removeError, setRemoveError] = useState<string | null>(null);
  const label = CHANNEL_LABELS[kind];

  async function remove() {
    if (!confirm(`Remove ${label} from this stack? Its settings are deleted.`)) return;
    try {
      onChanged((await api.request(RemoveChannelDocument, { stackId, kind })).removeChannel);
      setRemoveError(null);
    } catch (error) {
      setRemoveError(errorMessage(error));
    }
  }

  return (
    <Dialog title={`${label} for this stack`} onClose={onClose}>
      {channel.configured && !channel.enabled && (
        <p class="notice" role="status">
          Disabled{channel.disabledReason ? `: ${channel.disabledReason}` : '.'} Saving the settings again
          turns it back on.
        </p>
      )}
      <ChannelForm stackId={stackId} channel={channel} onChanged={onChanged} />
      {channel.configured && (
        <>
          <ChannelTest stackId={stackId} kind={kind} />
          <div class="actions actions-end">
            <button type="button" class="button-danger" onClick={remove}>
              Remove {label}
            </button>
          </div>
          <FormError message={removeError} />
        </>
      )}
    </Dialog>
  );
}
