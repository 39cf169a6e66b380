// A stack's flapping rule: its own, or the service's defaults; OWNER and ADMIN change it or go back to the defaults.
import { useEffect, useState } from 'preact/hooks';
import {
  ClearFlappingDocument,
  SetFlappingDocument,
  type FlappingFieldsFragment,
} from '../graphql/generated';
import { useSession } from '../hooks/session';
import { wholeNumberForApi } from '../noise-text';
import { useFormAction } from '../hooks/useFormAction';
import { FormError } from './FormError';
import { NumberField } from './NumberField';

const FIELDS = ['input.threshold', 'input.windowMinutes', 'input.settleMinutes'] as const;

export function flappingSentence(rule: FlappingFieldsFragment): string {
  const opens = rule.threshold + 1;
  return (
    `A subject flaps when it fails ${opens} times within ${rule.windowMinutes} min; it settles after ` +
    `${rule.settleMinutes} min without a change.`
  );
}

export interface FlappingSettingsProps {
  stackId: string;
  settings: FlappingFieldsFragment;
  editable: boolean;
  onChanged: (settings: FlappingFieldsFragment) => void;
}

export function FlappingSettings({ stackId, settings, editable, onChanged }: FlappingSettingsProps) {
  const { api } = useSession();
  const form = useFormAction(FIELDS);
  const [threshold, setThreshold] = useState(String(settings.threshold));
  const [windowMinutes, setWindowMinutes] = useState(String(settings.windowMinutes));
  const [settleMinutes, setSettleMinutes] = useState(String(settings.settleMinutes));
  const [status, setStatus] = useState('');

  useEffect(() => {
    setThreshold(String(settings.threshold));
    setWindowMinutes(String(settings.windowMinutes));
    setSettleMinutes(String(settings.settleMinutes));
  }, [settings]);

  const summary = (
    <p class="flapping-sentence">
      {flappingSentence(settings)}{' '}
      <span class="muted">{settings.overridden ? "This stack's own rule." : "The service's defaults."}</span>
    </p>
  );
  if (!editable) return <div class="card">{summary}</div>;

  function submit(event: Event) {
    event.preventDefault();
    setStatus('');
    void form.run(async () => {
      // Blanks and decimals are sent as 0, so the API's own words say what is allowed.
      const input = {
        threshold: wholeNumberForApi(threshold) ?? 0,
        windowMinutes: wholeNumberForApi(windowMinutes) ?? 0,
        settleMinutes: wholeNumberForApi(settleMinutes) ?? 0,
      };
      const { setFlapping } = await api.request(SetFlappingDocument, { stackId, input });
      onChanged(setFlapping);
      setStatus('Saved.');
    });
  }

  function restoreDefaults() {
    setStatus('');
    void form.run(async () => {
      const { clearFlapping } = await api.request(ClearFlappingDocument, { stackId });
      onChanged(clearFlapping.flapping);
      setStatus("Saved: the service's defaults.");
    });
  }

  return (
    <form class="card noise-form" onSubmit={submit} noValidate>
      {summary}
      <div class="flapping-fields">
        <NumberField
          label="Failures allowed per window"
          value={threshold}
          onInput={setThreshold}
          error={form.fields['input.threshold']}
        />
        <NumberField
          label="Window (minutes)"
          value={windowMinutes}
          onInput={setWindowMinutes}
          error={form.fields['input.windowMinutes']}
        />
        <NumberField
          label="Settles after (minutes)"
          value={settleMinutes}
          onInput={setSettleMinutes}
          error={form.fields['input.settleMinutes']}
        />
      </div>
      <FormError message={form.error} />
      <div class="actions">
        <button type="submit" class="button-primary" disabled={form.busy}>
          Save flapping rule
        </button>
        {settings.overridden && (
          <button type="button" class="button-quiet" disabled={form.busy} onClick={restoreDefaults}>
            Use the defaults
          </button>
        )}
        <span class="saved-note" role="status">
          {status}
        </span>
      </div>
    </form>
  );
}
