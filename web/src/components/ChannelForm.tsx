// A shared channel's name and the settings of its kind, for a new channel or one set up before.
import { useState } from 'preact/hooks';
import {
  CreateSharedChannelDocument,
  UpdateSharedChannelDocument,
  type ChannelInput,
  type CreateSharedChannelMutation,
} from '../graphql/generated';
import { useSession } from '../hooks/session';
import { useFormAction } from '../hooks/useFormAction';
import {
  initialSetting,
  KIND_SPECS,
  type SettingField,
  type SharedChannel,
  type SharedKind,
} from './channel-types';
import { FormError } from './FormError';
import { SavedNote } from './SavedNote';
import { TextField } from './TextField';

export type ChannelSaved = CreateSharedChannelMutation['createChannel'];

export interface ChannelFormProps {
  stackId: string;
  kind: SharedKind;
  /** Null: a new channel. */
  channel: SharedChannel | null;
  onSaved: (saved: ChannelSaved) => void;
}

/** The paths the API may name a setting by: the services' (input.slack.url) or the validator's (slack.url). */
function errorPaths(inputName: string, key: string): string[] {
  return [`input.${inputName}.${key}`, `${inputName}.${key}`, key];
}

/** "Incoming-webhook URL" as it reads inside a sentence. */
function inSentence(label: string): string {
  return label.charAt(0).toLowerCase() + label.slice(1);
}

function secretHintOf(channel: SharedChannel | null, field: SettingField): string | undefined {
  if (!channel || !field.secret) return field.hint;
  const hint =
    channel.__typename === 'HipchatChannel'
      ? channel.tokenHint
      : 'urlHint' in channel
        ? channel.urlHint
        : null;
  return hint
    ? `Saved: ${hint}. Paste it again to change the settings; leave it empty to keep them.`
    : field.hint;
}

export function ChannelForm({ stackId, kind, channel, onSaved }: ChannelFormProps) {
  const { api } = useSession();
  const spec = KIND_SPECS[kind];
  const [name, setName] = useState(channel?.name ?? '');
  const initial = Object.fromEntries(spec.fields.map((field) => [field.key, initialSetting(channel, field)]));
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [saved, setSaved] = useState(false);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const shownPaths = [
    'input.name',
    'name',
    ...spec.fields.flatMap((field) => errorPaths(spec.input, field.key)),
  ];
  const form = useFormAction(shownPaths);

  function errorOf(field: SettingField): string | undefined {
    return (
      missing[field.key] ??
      errorPaths(spec.input, field.key)
        .map((path) => form.fields[path])
        .find(Boolean)
    );
  }

  function settingsInput(): Record<string, string | null> {
    return Object.fromEntries(
      spec.fields.map((field) => [field.key, values[field.key].trim() || (field.optional ? null : '')]),
    );
  }

  function submit(event: Event) {
    event.preventDefault();
    setSaved(false);
    const settingsChanged = spec.fields.some((field) => values[field.key] !== initial[field.key]);
    const empty = spec.fields.filter((field) => !field.optional && !values[field.key].trim());
    if ((channel === null || settingsChanged) && empty.length > 0) {
      setMissing(
        Object.fromEntries(
          empty.map((field) => [
            field.key,
            channel && field.secret
              ? `Paste the ${inSentence(field.label)} again to change the settings.`
              : `Enter the ${inSentence(field.label)}.`,
          ]),
        ),
      );
      return;
    }
    setMissing({});
    const input: ChannelInput = {};
    const trimmedName = name.trim();
    if (trimmedName && trimmedName !== channel?.name) input.name = trimmedName;
    if (channel === null || settingsChanged) {
      (input as Record<string, unknown>)[spec.input] = settingsInput();
    }
    void form.run(async () => {
      if (channel === null) {
        onSaved((await api.request(CreateSharedChannelDocument, { stackId, input })).createChannel);
      } else if (Object.keys(input).length > 0) {
        onSaved((await api.request(UpdateSharedChannelDocument, { id: channel.id, input })).updateChannel);
      }
      setValues((current) =>
        Object.fromEntries(spec.fields.map((field) => [field.key, field.secret ? '' : current[field.key]])),
      );
      setSaved(true);
    });
  }

  return (
    <form onSubmit={submit} noValidate>
      <p class="hint">{spec.howTo}</p>
      <TextField
        label="Name"
        value={name}
        onInput={setName}
        error={form.fields['input.name'] ?? form.fields.name}
        hint={channel ? undefined : `Optional: "${spec.label}" when empty, numbered if taken.`}
        placeholder={kind === 'SLACK' ? 'Slack #deploys' : spec.label}
        autoFocus={channel === null}
      />
      {spec.fields.map((field, index) => (
        <TextField
          key={field.key}
          label={field.label}
          type={field.type}
          value={values[field.key]}
          onInput={(value) => setValues((current) => ({ ...current, [field.key]: value }))}
          error={errorOf(field)}
          hint={secretHintOf(channel, field)}
          placeholder={field.placeholder}
          autoFocus={channel !== null && index === 0}
        />
      ))}
      <FormError message={form.error} />
      <div class="actions">
        <button type="submit" class="button-primary" disabled={form.busy}>
          {channel ? `Save ${spec.label === 'Webhook' ? 'webhook' : spec.label}` : `Add ${spec.label}`}
        </button>
        <SavedNote shown={saved} />
      </div>
    </form>
  );
}
