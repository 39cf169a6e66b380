// Adding a shared channel (its kind, name and settings), or changing one: its form, its signing secret, "Send test".
import { useId, useState } from 'preact/hooks';
import { RotateSigningSecretDocument } from '../graphql/generated';
import { useSession } from '../hooks/session';
import { useFormAction } from '../hooks/useFormAction';
import { ChannelForm, type ChannelSaved } from './ChannelForm';
import { ChannelTest } from './ChannelTest';
import { KIND_SPECS, SHARED_KINDS, type SharedChannel, type SharedKind } from './channel-types';
import { Dialog } from './Dialog';
import { FormError } from './FormError';
import { SigningSecret } from './SigningSecret';

export interface ChannelDialogProps {
  stackId: string;
  /** Null: a new channel, whose kind the dialog asks first. */
  channel: SharedChannel | null;
  onChanged: (channel: SharedChannel) => void;
  onClose: () => void;
}

export function ChannelDialog({ stackId, channel: given, onChanged, onClose }: ChannelDialogProps) {
  const [channel, setChannel] = useState<SharedChannel | null>(given);
  const [kind, setKind] = useState<SharedKind>((given?.kind as SharedKind | undefined) ?? 'SLACK');
  const [secret, setSecret] = useState<string | null>(null);
  const [warning, setWarning] = useState<string | null>(null);

  function saved(result: ChannelSaved) {
    setChannel(result.channel);
    setWarning(result.warning ?? null);
    if (result.signingSecret) setSecret(result.signingSecret);
    onChanged(result.channel);
  }

  const title = channel ? channel.name : 'Add a channel';
  return (
    <Dialog title={title} onClose={onClose}>
      {channel === null && <KindChoice kind={kind} onChange={setKind} />}
      {channel && !channel.enabled && (
        <p class="notice" role="status">
          Disabled{channel.disabledReason ? `: ${channel.disabledReason}` : '.'} Saving the settings again
          turns it back on.
        </p>
      )}
      <ChannelForm
        key={`${kind}:${channel?.id ?? 'new'}`}
        stackId={stackId}
        kind={kind}
        channel={channel}
        onSaved={saved}
      />
      {warning && (
        <p class="notice" role="status">
          {warning}
        </p>
      )}
      {channel?.__typename === 'WebhookChannel' && (
        <WebhookSecret channel={channel} secret={secret} onRotated={saved} />
      )}
      {channel && (
        <ChannelTest stackId={stackId} channelId={channel.id} kind={channel.kind} name={channel.name} />
      )}
    </Dialog>
  );
}

function KindChoice({ kind, onChange }: { kind: SharedKind; onChange: (kind: SharedKind) => void }) {
  const name = useId();
  return (
    <fieldset class="kind-choice">
      <legend>Kind</legend>
      {SHARED_KINDS.map((option) => (
        <label key={option} class="kind-option">
          <input
            type="radio"
            name={name}
            value={option}
            checked={option === kind}
            onChange={() => onChange(option)}
          />
          {KIND_SPECS[option].label}
        </label>
      ))}
    </fieldset>
  );
}

interface WebhookSecretProps {
  channel: SharedChannel;
  secret: string | null;
  onRotated: (result: ChannelSaved) => void;
}

function WebhookSecret({ channel, secret, onRotated }: WebhookSecretProps) {
  const { api } = useSession();
  const action = useFormAction([]);
  const hint = channel.__typename === 'WebhookChannel' ? channel.secretHint : null;

  function rotate() {
    if (!confirm('Make a new signing secret? The old one keeps signing for 24 hours.')) return;
    void action.run(async () => {
      const { rotateChannelSigningSecret } = await api.request(RotateSigningSecretDocument, {
        id: channel.id,
      });
      onRotated({ ...rotateChannelSigningSecret, warning: null });
    });
  }

  return (
    <div class="webhook-secret">
      {secret ? <SigningSecret secret={secret} /> : hint && <p class="hint">Signing secret: {hint}</p>}
      <button type="button" class="button-quiet" onClick={rotate} disabled={action.busy}>
        Rotate secret
      </button>
      <FormError message={action.error} />
    </div>
  );
}
