// Digests per channel kind of a stack: off, or a window and how many notifications go out at once in it. Each change
// is saved at once (the switch, or a number once it is committed), with "Saved" or the API's words beside it.
import { useEffect, useId, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../api/errors';
import {
  ClearDigestDocument,
  SetDigestDocument,
  type ChannelKind,
  type DigestFieldsFragment,
  type StackNoiseQuery,
} from '../graphql/generated';
import { useSession } from '../hooks/session';
import {
  DIGEST_KIND_LABELS,
  DIGEST_KINDS,
  digestSentence,
  PERSONAL_DIGEST_KINDS,
  wholeNumberForApi,
  type DigestRule,
} from '../noise-text';

/** A new digest starts like the README's example: ten-minute windows, two notifications at once. */
const NEW_DIGEST: DigestRule = { windowMinutes: 10, allowance: 2 };

type SharedChannel = StackNoiseQuery['stack']['sharedChannels'][number];

export interface DigestSettingsProps {
  stackId: string;
  digests: readonly DigestFieldsFragment[];
  sharedChannels: readonly SharedChannel[];
  editable: boolean;
  /** Given a change to the digests shown, applied to the newest list (two rows may save at once). */
  onChanged: (change: (digests: readonly DigestFieldsFragment[]) => DigestFieldsFragment[]) => void;
}

export function DigestSettings({
  stackId,
  digests,
  sharedChannels,
  editable,
  onChanged,
}: DigestSettingsProps) {
  const byKind = new Map(digests.map((digest) => [digest.channel, digest]));
  // The personal kinds always; a shared kind once the stack has a channel of it (or a digest left on it).
  const kinds = DIGEST_KINDS.filter(
    (kind) =>
      PERSONAL_DIGEST_KINDS.includes(kind) ||
      byKind.has(kind) ||
      sharedChannels.some((channel) => channel.kind === kind),
  );

  function replaced(kind: ChannelKind, digest: DigestFieldsFragment | null) {
    onChanged((current) => {
      const others = current.filter((each) => each.channel !== kind);
      const next = digest ? [...others, digest] : others;
      return DIGEST_KINDS.flatMap((each) => next.filter((candidate) => candidate.channel === each));
    });
  }

  return (
    <ul class="rows digest-rows">
      {kinds.map((kind) => (
        <DigestRow
          key={kind}
          stackId={stackId}
          kind={kind}
          digest={byKind.get(kind) ?? null}
          channels={sharedChannels.filter((channel) => channel.kind === kind)}
          editable={editable}
          onChanged={(digest) => replaced(kind, digest)}
        />
      ))}
    </ul>
  );
}

/** Which channels a digest on this kind covers, each counted on its own. */
function coverage(kind: ChannelKind, channels: readonly SharedChannel[]): string {
  if (PERSONAL_DIGEST_KINDS.includes(kind)) return "Each person's own, counted per person.";
  if (channels.length === 0) return 'No channel of this kind now.';
  const names = channels.map((channel) => channel.name).join(', ');
  return channels.length === 1 ? names : `${names}: each counted on its own.`;
}

interface DigestRowProps {
  stackId: string;
  kind: ChannelKind;
  digest: DigestFieldsFragment | null;
  channels: readonly SharedChannel[];
  editable: boolean;
  onChanged: (digest: DigestFieldsFragment | null) => void;
}

interface Outcome {
  saved?: string;
  error?: string;
  fields?: Readonly<Record<string, string>>;
}

function DigestRow({ stackId, kind, digest, channels, editable, onChanged }: DigestRowProps) {
  const { api } = useSession();
  const label = DIGEST_KIND_LABELS[kind];
  const [windowText, setWindowText] = useState(String(digest?.windowMinutes ?? NEW_DIGEST.windowMinutes));
  const [allowanceText, setAllowanceText] = useState(String(digest?.allowance ?? NEW_DIGEST.allowance));
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>({});
  const titleId = useId();
  const sentenceId = useId();
  const windowId = useId();
  const allowanceId = useId();

  // What the server has replaces the numbers shown, e.g. after the view is read again.
  useEffect(() => {
    if (!digest) return;
    setWindowText(String(digest.windowMinutes));
    setAllowanceText(String(digest.allowance));
  }, [digest]);

  async function run(action: () => Promise<DigestFieldsFragment | null>, saved: string) {
    setBusy(true);
    setOutcome({});
    try {
      onChanged(await action());
      setOutcome({ saved });
    } catch (thrown) {
      const fields = thrown instanceof ApiError ? thrown.fields : {};
      const named = Object.keys(fields).length > 0;
      setOutcome({ fields, error: named ? undefined : `${label} was not changed: ${errorMessage(thrown)}` });
    } finally {
      setBusy(false);
    }
  }

  function setDigest(windowMinutes: string, allowance: string) {
    if (busy) return;
    // Blanks and decimals never reach the API, which takes whole numbers only (a GraphQL Int); its ranges it says.
    const rule = { windowMinutes: wholeNumberForApi(windowMinutes), allowance: wholeNumberForApi(allowance) };
    const local: Record<string, string> = {};
    if (rule.windowMinutes === null) local.windowMinutes = 'must be a whole number of minutes';
    if (rule.allowance === null) local.allowance = 'must be a whole number';
    if (rule.windowMinutes === null || rule.allowance === null) {
      setOutcome({ fields: local });
      return;
    }
    const { windowMinutes: minutes, allowance: atOnce } = rule;
    void run(async () => {
      const { setDigest: set } = await api.request(SetDigestDocument, {
        stackId,
        channel: kind,
        windowMinutes: minutes,
        allowance: atOnce,
      });
      return set;
    }, 'Saved.');
  }

  function toggle() {
    if (busy) return;
    if (digest) {
      void run(async () => {
        await api.request(ClearDigestDocument, { stackId, channel: kind });
        return null;
      }, 'Saved: digest off.');
    } else {
      setDigest(windowText, allowanceText);
    }
  }

  const fieldError = (field: 'windowMinutes' | 'allowance') => outcome.fields?.[field];

  return (
    <li class="row card digest-row" data-kind={kind}>
      <div class="row-main">
        <p class="row-title" id={titleId}>
          {label}
        </p>
        <p class="muted">{coverage(kind, channels)}</p>
        <p id={sentenceId} class="digest-sentence">
          {digestSentence(digest)}
        </p>
      </div>
      {editable && (
        <div class="digest-controls">
          <button
            type="button"
            role="switch"
            class="switch"
            aria-checked={digest !== null}
            aria-describedby={sentenceId}
            aria-busy={busy}
            onClick={toggle}
          >
            <span class="switch-track" aria-hidden="true">
              <span class="switch-thumb" />
            </span>
            <span>
              Digest<span class="visually-hidden"> for {label}</span>
            </span>
          </button>
          {digest && (
            <div class="digest-numbers">
              <div class="field">
                <label for={windowId}>
                  Window <span class="unit">(minutes)</span>
                  <span class="visually-hidden"> for {label}</span>
                </label>
                <input
                  id={windowId}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={1440}
                  value={windowText}
                  aria-invalid={fieldError('windowMinutes') ? true : undefined}
                  aria-describedby={fieldError('windowMinutes') ? `${windowId}-error` : undefined}
                  onInput={(event) => setWindowText(event.currentTarget.value)}
                  onChange={(event) => setDigest(event.currentTarget.value, allowanceText)}
                />
                {fieldError('windowMinutes') && (
                  <p id={`${windowId}-error`} class="field-error">
                    {fieldError('windowMinutes')}
                  </p>
                )}
              </div>
              <div class="field">
                <label for={allowanceId}>
                  At once<span class="visually-hidden"> in each {label} window</span>
                </label>
                <input
                  id={allowanceId}
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={1000}
                  value={allowanceText}
                  aria-invalid={fieldError('allowance') ? true : undefined}
                  aria-describedby={fieldError('allowance') ? `${allowanceId}-error` : undefined}
                  onInput={(event) => setAllowanceText(event.currentTarget.value)}
                  onChange={(event) => setDigest(windowText, event.currentTarget.value)}
                />
                {fieldError('allowance') && (
                  <p id={`${allowanceId}-error`} class="field-error">
                    {fieldError('allowance')}
                  </p>
                )}
              </div>
            </div>
          )}
        </div>
      )}
      <p class="row-outcome" role="status">
        {outcome.saved ?? ''}
      </p>
      {outcome.error && (
        <p class="field-error row-outcome" role="alert">
          {outcome.error}
        </p>
      )}
    </li>
  );
}
