// The viewer's quiet hours: when their own channels (email, iOS, browser push) hold everything below critical until
// the window ends. What is set, in a sentence; a form to change it, turn it off, or set it up.
import { useEffect, useId, useState } from 'preact/hooks';
import {
  ClearQuietHoursDocument,
  MyQuietHoursDocument,
  SetQuietHoursDocument,
  type QuietHoursFieldsFragment,
  type Weekday,
} from '../graphql/generated';
import { useSession } from '../hooks/session';
import { useFormAction } from '../hooks/useFormAction';
import { useQuery } from '../hooks/useQuery';
import {
  browserTimeZone,
  crossesMidnight,
  quietHoursSentence,
  timeZoneChoices,
  WEEKDAY_LABELS,
  WEEKDAYS,
  type QuietHoursWindow,
} from '../noise-text';
import { FormError } from './FormError';
import '../noise.css';

const FIELDS = ['input.timeZone', 'input.start', 'input.end', 'input.days'] as const;

interface Draft extends QuietHoursWindow {
  on: boolean;
  days: readonly Weekday[];
}

function draftOf(saved: QuietHoursFieldsFragment | null): Draft {
  if (!saved) {
    return { on: false, timeZone: browserTimeZone(), start: '22:00', end: '07:00', days: WEEKDAYS };
  }
  return { on: true, ...saved, days: saved.days ?? WEEKDAYS };
}

/** The window the draft would save: every day is sent as null, as the API reads a missing list. */
function windowOf(draft: Draft): QuietHoursWindow | null {
  if (!draft.on) return null;
  const everyDay = WEEKDAYS.every((day) => draft.days.includes(day));
  return {
    timeZone: draft.timeZone,
    start: draft.start,
    end: draft.end,
    days: everyDay ? null : WEEKDAYS.filter((day) => draft.days.includes(day)),
  };
}

export function QuietHoursPage() {
  const { api } = useSession();
  const query = useQuery(MyQuietHoursDocument, {});
  const saved = query.data?.me.quietHours ?? null;
  const loaded = query.data !== null;
  const [draft, setDraft] = useState<Draft | null>(null);
  const [status, setStatus] = useState('');
  const form = useFormAction(FIELDS);
  const headingId = useId();
  const switchHint = useId();
  const zoneId = useId();
  const startId = useId();
  const endId = useId();
  const daysErrorId = useId();
  const ids = { 'input.timeZone': zoneId, 'input.start': startId, 'input.end': endId } as const;

  // The form starts from what is set, once it is read.
  useEffect(() => {
    if (loaded && draft === null) setDraft(draftOf(saved));
  }, [loaded, saved, draft]);

  const savedSentence = quietHoursSentence(saved);
  const draftSentence = draft ? quietHoursSentence(windowOf(draft)) : savedSentence;

  function change(next: Partial<Draft>) {
    setDraft((current) => (current ? { ...current, ...next } : current));
    setStatus('');
  }

  function toggleDay(day: Weekday, on: boolean) {
    if (!draft) return;
    change({ days: on ? [...draft.days, day] : draft.days.filter((each) => each !== day) });
  }

  function submit(event: Event) {
    event.preventDefault();
    if (!draft) return;
    setStatus('');
    void form.run(async () => {
      // No day ticked is sent as it is (an empty list): the API says that at least one is needed.
      const chosen = windowOf(draft);
      const me = chosen
        ? (
            await api.request(SetQuietHoursDocument, {
              input: { ...chosen, days: chosen.days && [...chosen.days] },
            })
          ).setQuietHours
        : (await api.request(ClearQuietHoursDocument, {})).clearQuietHours;
      query.update((data) => ({ me: { ...data.me, quietHours: me.quietHours } }));
      setDraft(draftOf(me.quietHours ?? null));
      setStatus(me.quietHours ? 'Saved.' : 'Saved. Quiet hours are off.');
    });
  }

  const fieldError = (path: (typeof FIELDS)[number]) => form.fields[path];
  const describedBy = (path: keyof typeof ids, hint?: string) =>
    [hint, fieldError(path) ? `${ids[path]}-error` : null].filter(Boolean).join(' ') || undefined;

  return (
    <section class="account-page quiet-hours" aria-labelledby={headingId}>
      <h1 id={headingId}>Quiet hours</h1>
      <p class="hint">
        While they last, your own channels (email, the iOS app, browser push) hold every notification below
        critical, on every stack; shared channels such as Slack and webhooks are not affected.
      </p>
      <FormError message={query.error?.message ?? null} />
      {!draft ? (
        !query.error && <p class="hint">Loading your quiet hours…</p>
      ) : (
        <>
          <div class={`card noise-summary ${saved ? 'is-on' : 'is-off'}`}>
            <p class="noise-summary-label">{saved ? 'Set now' : 'Not set'}</p>
            <p data-testid="quiet-hours-now">{savedSentence}</p>
          </div>
          <form class="card noise-form" onSubmit={submit} noValidate>
            <button
              type="button"
              role="switch"
              class="switch"
              aria-checked={draft.on}
              aria-describedby={switchHint}
              onClick={() => change({ on: !draft.on })}
            >
              <span class="switch-track" aria-hidden="true">
                <span class="switch-thumb" />
              </span>
              <span>Quiet hours</span>
            </button>
            <p id={switchHint} class="hint">
              {switchState(draft.on, saved !== null)}
            </p>
            <fieldset class="quiet-hours-fields" disabled={!draft.on}>
              <legend class="visually-hidden">When</legend>
              <div class="field quiet-hours-zone">
                <label for={zoneId}>Time zone</label>
                <select
                  id={zoneId}
                  value={draft.timeZone}
                  aria-invalid={fieldError('input.timeZone') ? true : undefined}
                  aria-describedby={describedBy('input.timeZone')}
                  onChange={(event) => change({ timeZone: event.currentTarget.value })}
                >
                  {timeZoneChoices(draft.timeZone).map((zone) => (
                    <option key={zone} value={zone}>
                      {zone.replace(/_/g, ' ')}
                    </option>
                  ))}
                </select>
                <FieldError id={`${zoneId}-error`} message={fieldError('input.timeZone')} />
              </div>
              <div class="field">
                <label for={startId}>From</label>
                <input
                  id={startId}
                  type="time"
                  value={draft.start}
                  aria-invalid={fieldError('input.start') ? true : undefined}
                  aria-describedby={describedBy('input.start')}
                  onInput={(event) => change({ start: event.currentTarget.value })}
                />
                <FieldError id={`${startId}-error`} message={fieldError('input.start')} />
              </div>
              <div class="field">
                <label for={endId}>Until</label>
                <input
                  id={endId}
                  type="time"
                  value={draft.end}
                  aria-invalid={fieldError('input.end') ? true : undefined}
                  aria-describedby={describedBy('input.end', `${endId}-hint`)}
                  onInput={(event) => change({ end: event.currentTarget.value })}
                />
                <p id={`${endId}-hint`} class="hint">
                  {draft.start && draft.end && crossesMidnight(draft) ? 'The next day.' : 'The same day.'}
                </p>
                <FieldError id={`${endId}-error`} message={fieldError('input.end')} />
              </div>
              <fieldset
                class="weekdays"
                aria-invalid={fieldError('input.days') ? true : undefined}
                aria-describedby={fieldError('input.days') ? daysErrorId : undefined}
              >
                <legend>Starting on</legend>
                {WEEKDAYS.map((day) => (
                  <label key={day} class="weekday">
                    <input
                      type="checkbox"
                      checked={draft.days.includes(day)}
                      onChange={(event) => toggleDay(day, event.currentTarget.checked)}
                    />
                    <span aria-hidden="true">{WEEKDAY_LABELS[day].slice(0, 3)}</span>
                    <span class="visually-hidden">{WEEKDAY_LABELS[day]}</span>
                  </label>
                ))}
                <p class="hint weekdays-hint">
                  The days quiet hours begin on: Friday from 22:00 to 07:00 ends on Saturday morning.
                </p>
                <FieldError id={daysErrorId} message={fieldError('input.days')} />
              </fieldset>
            </fieldset>
            {draftSentence !== savedSentence && (
              <p class="noise-preview">
                <strong>Once saved: </strong>
                {draftSentence}
              </p>
            )}
            <FormError message={form.error} />
            <div class="actions">
              <button type="submit" class="button-primary" disabled={form.busy}>
                Save
              </button>
              <span class="saved-note" role="status">
                {status}
              </span>
            </div>
          </form>
        </>
      )}
    </section>
  );
}

/** What the switch means now: whether saving changes anything. */
function switchState(on: boolean, savedOn: boolean): string {
  if (on === savedOn) return on ? 'On.' : 'Off.';
  return on ? 'On once you save.' : 'Off once you save: every notification will reach you at once.';
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} class="field-error">
      {message}
    </p>
  );
}
