// Webhook: the endpoint URL; the signing secret is shown once, when it is generated or rotated.
import { useState } from 'preact/hooks';
import {
  ConfigureWebhookDocument,
  RotateWebhookSecretDocument,
  type ChannelSettingsFragment,
} from '../graphql/generated';
import { useSession } from '../hooks/session';
import { useFormAction } from '../hooks/useFormAction';
import type { WebhookSettings } from './channel-types';
import { FormError } from './FormError';
import { SavedNote } from './SavedNote';
import { SigningSecret } from './SigningSecret';
import { TextField } from './TextField';

export interface WebhookFormProps {
  stackId: string;
  channel: WebhookSettings;
  onSaved: (channel: ChannelSettingsFragment) => void;
}

export function WebhookForm({ stackId, channel, onSaved }: WebhookFormProps) {
  const { api } = useSession();
  const [url, setUrl] = useState(channel.url ?? '');
  const [secret, setSecret] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useFormAction(['input.url']);

  function submit(event: Event) {
    event.preventDefault();
    setSaved(false);
    void form.run(async () => {
      const { configureWebhook } = await api.request(ConfigureWebhookDocument, { stackId, input: { url } });
      onSaved(configureWebhook.channel);
      if (configureWebhook.signingSecret) setSecret(configureWebhook.signingSecret);
      setSaved(true);
    });
  }

  function rotate() {
    if (!confirm('Make a new signing secret? The old one keeps signing for 24 hours.')) return;
    void form.run(async () => {
      const { rotateWebhookSecret } = await api.request(RotateWebhookSecretDocument, { stackId });
      onSaved(rotateWebhookSecret.channel);
      setSecret(rotateWebhookSecret.signingSecret);
    });
  }

  return (
    <form onSubmit={submit} noValidate>
      <p class="hint">
        Every notification of this stack is sent to this URL as an HTTP POST, signed with the secret.
      </p>
      <TextField
        label="Endpoint URL"
        type="url"
        value={url}
        onInput={setUrl}
        error={form.fields['input.url']}
        placeholder="https://example.com/hooks/stacks"
        autoFocus
      />
      {secret ? (
        <SigningSecret secret={secret} />
      ) : (
        channel.secretHint && <p class="hint">Signing secret: {channel.secretHint}</p>
      )}
      <FormError message={form.error} />
      <div class="actions">
        <button type="submit" class="button-primary" disabled={form.busy}>
          Save webhook
        </button>
        {channel.configured && (
          <button type="button" class="button-quiet" onClick={rotate} disabled={form.busy}>
            Rotate secret
          </button>
        )}
        <SavedNote shown={saved} />
      </div>
    </form>
  );
}
