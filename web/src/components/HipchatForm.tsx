// Hipchat: an API v1 token and the room to post in.
import { useState } from 'preact/hooks';
import { ConfigureHipchatDocument, type ChannelSettingsFragment } from '../graphql/generated';
import { useSession } from '../hooks/session';
import { useFormAction } from '../hooks/useFormAction';
import type { HipchatSettings } from './channel-types';
import { FormError } from './FormError';
import { SavedNote } from './SavedNote';
import { TextField } from './TextField';

export interface HipchatFormProps {
  stackId: string;
  channel: HipchatSettings;
  onSaved: (channel: ChannelSettingsFragment) => void;
}

export function HipchatForm({ stackId, channel, onSaved }: HipchatFormProps) {
  const { api } = useSession();
  const [token, setToken] = useState('');
  const [room, setRoom] = useState(channel.room ?? '');
  const [saved, setSaved] = useState(false);
  const form = useFormAction(['input.token', 'input.room']);

  function submit(event: Event) {
    event.preventDefault();
    setSaved(false);
    void form.run(async () => {
      const { configureHipchat } = await api.request(ConfigureHipchatDocument, {
        stackId,
        input: { token, room },
      });
      onSaved(configureHipchat);
      setToken('');
      setSaved(true);
    });
  }

  return (
    <form onSubmit={submit} noValidate>
      <p class="hint">
        In Hipchat, open Account settings, then API access, then the link for API version 1, and create a
        token.
      </p>
      <TextField
        label="API token"
        type="password"
        value={token}
        onInput={setToken}
        error={form.fields['input.token']}
        hint={
          channel.tokenHint
            ? `The saved token ends in ${channel.tokenHint}; paste it again to change the room.`
            : undefined
        }
        autoFocus
      />
      <TextField
        label="Room"
        value={room}
        onInput={setRoom}
        error={form.fields['input.room']}
        hint="The room id or name notifications appear in."
      />
      <FormError message={form.error} />
      <div class="actions">
        <button type="submit" class="button-primary" disabled={form.busy}>
          Save Hipchat
        </button>
        <SavedNote shown={saved} />
      </div>
    </form>
  );
}
