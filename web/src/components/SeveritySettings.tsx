// Each event type's severity on a stack, grouped as the settings grid groups events: the catalogue's default or the
// stack's own, changed and reset one at a time, each saved at once with its outcome beside it.
import { useId, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../api/errors';
import {
  ClearStackEventSeverityDocument,
  SetStackEventSeverityDocument,
  type EventGroup,
  type EventSeverityFieldsFragment,
  type EventType,
  type Severity,
} from '../graphql/generated';
import { useSession } from '../hooks/session';
import { byEventGroup } from '../event-groups';
import { SEVERITIES, SEVERITY_LABELS } from '../noise-text';

export interface SeveritySettingsProps {
  stackId: string;
  settings: readonly EventSeverityFieldsFragment[];
  /** The catalogue's events (Query.eventTypes): their titles and groups. */
  events: readonly { type: EventType; title: string; group: EventGroup }[];
  editable: boolean;
  onChanged: (setting: EventSeverityFieldsFragment) => void;
}

type RowState = { saving: true } | { saving: false; saved: string } | { saving: false; error: string };

export function SeveritySettings({ stackId, settings, events, editable, onChanged }: SeveritySettingsProps) {
  const { api } = useSession();
  const [rows, setRows] = useState<Partial<Record<EventType, RowState>>>({});
  const byType = new Map(settings.map((setting) => [setting.eventType, setting]));

  async function save(
    eventType: EventType,
    name: string,
    request: () => Promise<EventSeverityFieldsFragment>,
  ) {
    setRows((current) => ({ ...current, [eventType]: { saving: true } }));
    try {
      const changed = await request();
      onChanged(changed);
      const saved = changed.overridden
        ? `Saved: ${SEVERITY_LABELS[changed.severity]} on this stack.`
        : `Saved: back to the default, ${SEVERITY_LABELS[changed.severity]}.`;
      setRows((current) => ({ ...current, [eventType]: { saving: false, saved } }));
    } catch (thrown) {
      const error = `${name} was not changed: ${errorMessage(thrown)}`;
      setRows((current) => ({ ...current, [eventType]: { saving: false, error } }));
    }
  }

  const change = (eventType: EventType, name: string, severity: Severity) =>
    save(eventType, name, async () => {
      const { setEventSeverity } = await api.request(SetStackEventSeverityDocument, {
        stackId,
        eventType,
        severity,
      });
      return setEventSeverity;
    });

  const reset = (eventType: EventType, name: string) =>
    save(eventType, name, async () => {
      const { clearEventSeverity } = await api.request(ClearStackEventSeverityDocument, {
        stackId,
        eventType,
      });
      return clearEventSeverity;
    });

  return (
    <div class="severity-groups">
      {byEventGroup(events).map((group) => (
        <div key={group.label} class="severity-group">
          <h3>{group.label}</h3>
          <ul class="card severity-list">
            {group.items.map(({ type, title: name }) => {
              const setting = byType.get(type);
              if (!setting) return null;
              return (
                <SeverityRow
                  key={type}
                  name={name}
                  setting={setting}
                  state={rows[type]}
                  editable={editable}
                  onChange={(severity) => void change(type, name, severity)}
                  onReset={() => void reset(type, name)}
                />
              );
            })}
          </ul>
        </div>
      ))}
    </div>
  );
}

interface SeverityRowProps {
  name: string;
  setting: EventSeverityFieldsFragment;
  state: RowState | undefined;
  editable: boolean;
  onChange: (severity: Severity) => void;
  onReset: () => void;
}

function SeverityRow({ name, setting, state, editable, onChange, onReset }: SeverityRowProps) {
  const selectId = useId();
  const originId = useId();
  const select = useRef<HTMLSelectElement>(null);
  const saving = state?.saving === true;
  const origin = setting.overridden
    ? `Changed for this stack (default: ${SEVERITY_LABELS[setting.defaultSeverity]})`
    : 'Default';
  function reset() {
    if (saving) return;
    // The button goes once the default is back: focus waits on the choice it reset.
    select.current?.focus();
    onReset();
  }

  return (
    <li class="row severity-row" data-event-type={setting.eventType}>
      <div class="row-main">
        {editable ? (
          <label class="row-title" for={selectId}>
            {name}
          </label>
        ) : (
          <p class="row-title">{name}</p>
        )}
        <p id={originId} class={setting.overridden ? 'severity-origin is-overridden' : 'severity-origin'}>
          {origin}
        </p>
      </div>
      <div class="row-actions">
        {editable ? (
          <>
            <select
              ref={select}
              id={selectId}
              class={`severity-select is-${setting.severity.toLowerCase()}`}
              value={setting.severity}
              aria-describedby={originId}
              aria-busy={saving}
              onChange={(event) => {
                // One save per row at a time: a change while one is in flight is undone on the spot.
                if (saving) event.currentTarget.value = setting.severity;
                else onChange(event.currentTarget.value as Severity);
              }}
            >
              {SEVERITIES.map((severity) => (
                <option key={severity} value={severity}>
                  {SEVERITY_LABELS[severity]}
                </option>
              ))}
            </select>
            {setting.overridden && (
              <button type="button" class="button-quiet" onClick={reset}>
                Reset
                <span class="visually-hidden">
                  {' '}
                  {name} to {SEVERITY_LABELS[setting.defaultSeverity]}
                </span>
              </button>
            )}
          </>
        ) : (
          <span class={`severity-pill is-${setting.severity.toLowerCase()}`}>
            {SEVERITY_LABELS[setting.severity]}
          </span>
        )}
      </div>
      <p class="row-outcome" role="status">
        {state && !state.saving && 'saved' in state ? state.saved : ''}
      </p>
      {state && !state.saving && 'error' in state && (
        <p class="field-error row-outcome" role="alert">
          {state.error}
        </p>
      )}
    </li>
  );
}
