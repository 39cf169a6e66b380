// Slack: the incoming-webhook URL of the integration and, optionally, the channel to post in.
import { useState } from 'preact/hooks';
import { ConfigureSlackDocument, type ChannelSettingsFragment } from '../graphql/generated';
import { useSession } from '../hooks/session';
import { useFormAction } from '../hooks/useFormAction';
import type { SlackSettings } from './channel-types';
import { FormError } from './FormError';
import { SavedNote } from './SavedNote';
import { TextField } from './TextField';

export interface SlackFormProps {
  stackId: string;
  channel: SlackSettings;
  onSaved: (channel: ChannelSettingsFragment) => void;
}

export function SlackForm({ stackId, channel, onSaved }: SlackFormProps) {
  const { api } = useSession();
  const [url, setUrl] = useState('');
  const [channelName, setChannelName] = useState(channel.channelName ?? '');
  const [saved, setSaved] = useState(false);
  const form = useFormAction(['input.url', 'input.channel']);

  function submit(event: Event) {
    event.preventDefault();
    setSaved(false);
    void form.run(async () => {
      const { configureSlack } = await api.request(ConfigureSlackDocument, {
        stackId,
        input: { url, channel: channelName.trim() || null },
      });
      onSaved(configureSlack);
      setUrl('');
      setSaved(true);
    });
  }

  return (
    <form onSubmit={submit} noValidate>
      <p class="hint">
        Add an incoming webhook in Slack, choose the channel to post in, and paste the URL Slack gives you.
      </p>
      <TextField
        label="Incoming-webhook URL"
        type="url"
        value={url}
        onInput={setUrl}
        error={form.fields['input.url']}
        hint={
          channel.urlHint ? `Saved: ${channel.urlHint}. Paste it again to change the channel.` : undefined
        }
        placeholder="https://hooks.slack.com/services/…"
        autoFocus
      />
      <TextField
        label="Channel (optional)"
        value={channelName}
        onInput={setChannelName}
        error={form.fields['input.channel']}
        placeholder="#deploys"
      />
      <FormError message={form.error} />
      <div class="actions">
        <button type="submit" class="button-primary" disabled={form.busy}>
          Save Slack
        </button>
        <SavedNote shown={saved} />
      </div>
    </form>
  );
}
