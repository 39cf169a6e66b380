// A channel's message template (Liquid), per event type or for all of them, with a preview that follows the typing,
// its errors at their line and column beside the editor, and a way back to the built-in text.
import type { TargetedEvent } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../api/errors';
import {
  ChannelMessageTemplatesDocument,
  PreviewChannelMessageDocument,
  ResetMessageTemplateDocument,
  SaveMessageTemplateDocument,
  TemplateEventTypesDocument,
  type ChannelKind,
  type EventType,
  type MessageTemplateSource,
  type PreviewChannelMessageQuery,
} from '../graphql/generated';
import { useSession } from '../hooks/session';
import { useQuery } from '../hooks/useQuery';
import { Dialog } from './Dialog';
import { FormError } from './FormError';

/** A shared channel by id, or the stack's email (channelId null, kind EMAIL). */
export interface TemplateTarget {
  channelId: string | null;
  kind: ChannelKind;
  name: string;
}

/** How long typing pauses before the preview is asked for. */
export const PREVIEW_DELAY_MS = 300;

type Preview = PreviewChannelMessageQuery['previewMessage'];

export interface TemplateProblem {
  message: string;
  line: number | null;
  column: number | null;
  /** Which part is wrong: the subject or the body. */
  part: 'subject' | 'template';
}

/** The API's template error (BAD_USER_INPUT, "..., line:1, col:7") as what and where. */
export function templateProblem(error: unknown): TemplateProblem {
  const message = errorMessage(error);
  const position = /,?\s*line:(\d+),\s*col:(\d+)/.exec(message);
  const fields = error instanceof ApiError ? Object.keys(error.fields) : [];
  // The field is shown by where the message appears: "input.template: undefined variable" reads without it.
  const text = (position ? message.replace(position[0], '') : message).replace(/^input\.\w+:\s*/, '');
  return {
    message: text.trim(),
    line: position ? Number(position[1]) : null,
    column: position ? Number(position[2]) : null,
    part: fields.some((field) => field.endsWith('subject')) ? 'subject' : 'template',
  };
}

function problemText(problem: TemplateProblem): string {
  return problem.line === null
    ? problem.message
    : `Line ${problem.line}, column ${problem.column}: ${problem.message}`;
}

const SOURCE_WORDS: Record<MessageTemplateSource, string> = {
  BUILT_IN: 'The built-in text',
  STORED: "This stack's template",
  GIVEN: 'Your edit, not saved yet',
};

export interface TemplateDialogProps {
  stackId: string;
  target: TemplateTarget;
  onClose: () => void;
}

export function TemplateDialog({ stackId, target, onClose }: TemplateDialogProps) {
  return (
    <Dialog title={`${target.name}: message template`} onClose={onClose} variant="wide">
      <TemplateEditor stackId={stackId} target={target} />
    </Dialog>
  );
}

export function TemplateEditor({ stackId, target }: { stackId: string; target: TemplateTarget }) {
  const { api } = useSession();
  const isEmail = target.kind === 'EMAIL';
  const channelVariables = isEmail ? { channel: 'EMAIL' as const } : { channelId: target.channelId };
  const eventTypes = useQuery(TemplateEventTypesDocument, {});
  const stored = useQuery(ChannelMessageTemplatesDocument, { stackId, ...channelVariables });
  const [eventType, setEventType] = useState<EventType | ''>('');
  const [template, setTemplate] = useState<string | null>(null);
  const [subject, setSubject] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [problem, setProblem] = useState<TemplateProblem | null>(null);
  const [edited, setEdited] = useState(false);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [resets, setResets] = useState(0);
  /** The key whose text the editor holds; until the chosen key's text has loaded, the editor is read-only. */
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  const wantedKey = useRef<string | null>(null);
  const latest = useRef(0);
  const ids = { event: useId(), editor: useId(), subject: useId(), problem: useId(), preview: useId() };

  const types = eventTypes.data?.eventTypes ?? [];
  /** The event type the preview renders: the one chosen, or the first for a template of all of them. */
  const sampleType = (eventType || types[0]?.type) as EventType | undefined;
  const storedHere = stored.data?.stack.messageTemplates.find(
    (candidate) => (candidate.eventType ?? '') === eventType,
  );

  async function renderPreview(text: string | null, subjectText: string | null) {
    if (!sampleType) return;
    const request = ++latest.current;
    try {
      const input = {
        stackId,
        ...channelVariables,
        eventType: sampleType,
        ...(text === null ? {} : { template: text }),
        ...(isEmail && text !== null ? { subject: subjectText || null } : {}),
      };
      const { previewMessage } = await api.request(PreviewChannelMessageDocument, { input });
      if (request !== latest.current) return;
      setPreview(previewMessage);
      setProblem(null);
      return previewMessage;
    } catch (thrown) {
      if (request !== latest.current) return;
      if (thrown instanceof ApiError && thrown.code === 'BAD_USER_INPUT') setProblem(templateProblem(thrown));
      else setError(errorMessage(thrown));
    }
  }

  // The text to start from for the chosen key: its stored template, else what the channel sends now. Read again
  // when the key changes or a reset removed the template, not after a save (the text shown is what was saved).
  const storedReady = stored.data !== null;
  useEffect(() => {
    if (!sampleType || !storedReady) return;
    setEdited(false);
    setProblem(null);
    wantedKey.current = eventType;
    void (async () => {
      const current = await renderPreview(null, null);
      // Another key was chosen meanwhile: its own load fills the editor.
      if (wantedKey.current !== eventType) return;
      const own = stored.data?.stack.messageTemplates.find(
        (candidate) => (candidate.eventType ?? '') === eventType,
      );
      setTemplate(own?.template ?? current?.template ?? '');
      setSubject(own?.subject ?? current?.subjectTemplate ?? '');
      setLoadedKey(eventType);
    })();
  }, [eventType, sampleType, storedReady, resets]);

  // Edits: the preview follows once typing pauses.
  useEffect(() => {
    if (!edited || template === null) return;
    const timer = setTimeout(() => void renderPreview(template, subject), PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [template, subject, edited]);

  async function save() {
    if (template === null) return;
    setBusy(true);
    setNote(null);
    setError(null);
    try {
      await api.request(SaveMessageTemplateDocument, {
        input: {
          stackId,
          ...channelVariables,
          eventType: eventType || null,
          template,
          ...(isEmail ? { subject: subject.trim() || null } : {}),
        },
      });
      setProblem(null);
      await stored.reload();
      setEdited(false);
      await renderPreview(null, null);
      setNote('Saved.');
    } catch (thrown) {
      if (thrown instanceof ApiError && thrown.code === 'BAD_USER_INPUT') setProblem(templateProblem(thrown));
      else setError(errorMessage(thrown));
    } finally {
      setBusy(false);
    }
  }

  async function reset() {
    setBusy(true);
    setNote(null);
    setError(null);
    try {
      await api.request(ResetMessageTemplateDocument, {
        input: { stackId, ...channelVariables, eventType: eventType || null },
      });
      await stored.reload();
      setResets((count) => count + 1);
      setNote(
        eventType
          ? 'Back to the template for all event types, or the built-in text.'
          : 'Back to the built-in text.',
      );
    } catch (thrown) {
      setError(errorMessage(thrown));
    } finally {
      setBusy(false);
    }
  }

  const loadError = eventTypes.error ?? stored.error;
  if (loadError) return <FormError message={loadError.message} />;
  if (template === null) return <p class="hint">Loading the template…</p>;

  const templateProblemShown = problem?.part === 'template' ? problem : null;
  const subjectProblemShown = problem?.part === 'subject' ? problem : null;
  const loading = loadedKey !== eventType;
  const source: MessageTemplateSource | null = loading ? null : edited ? 'GIVEN' : (preview?.source ?? null);

  return (
    <div class="template-editor">
      <div class="template-edit">
        <div class="field">
          <label for={ids.event}>For</label>
          <select
            id={ids.event}
            value={eventType}
            onChange={(event: TargetedEvent<HTMLSelectElement>) => {
              setEventType(event.currentTarget.value as EventType | '');
              setEdited(false);
              setNote(null);
              setError(null);
            }}
          >
            <option value="">All event types without their own</option>
            {types.map((type) => (
              <option key={type.type} value={type.type}>
                {type.key} — {type.description}
              </option>
            ))}
          </select>
        </div>
        {isEmail && (
          <div class="field">
            <label for={ids.subject}>Subject</label>
            <input
              id={ids.subject}
              type="text"
              class="template-subject"
              value={subject}
              readOnly={loading}
              spellcheck={false}
              aria-invalid={subjectProblemShown ? true : undefined}
              aria-describedby={subjectProblemShown ? ids.problem : undefined}
              onInput={(event: TargetedEvent<HTMLInputElement>) => {
                setSubject(event.currentTarget.value);
                setEdited(true);
              }}
            />
          </div>
        )}
        <div class="field">
          <label for={ids.editor}>{isEmail ? 'Text of the email' : 'Message'} (Liquid)</label>
          <textarea
            id={ids.editor}
            class="template-source"
            rows={10}
            spellcheck={false}
            value={template}
            readOnly={loading}
            aria-busy={loading ? true : undefined}
            aria-invalid={templateProblemShown ? true : undefined}
            aria-describedby={problem ? ids.problem : undefined}
            onInput={(event: TargetedEvent<HTMLTextAreaElement>) => {
              setTemplate(event.currentTarget.value);
              setEdited(true);
            }}
          />
        </div>
        <p id={ids.problem} class="template-problem" role="alert">
          {problem ? problemText(problem) : ''}
        </p>
        <p class="hint">
          Variables: <code>{'{{ title }}'}</code>, <code>{'{{ stack_line }}'}</code>,{' '}
          <code>{'{{ data.commit }}'}</code>, <code>{'{{ incident_line }}'}</code>,{' '}
          <code>{'{{ links.deliveries }}'}</code>…
        </p>
        <FormError message={error} />
        <div class="actions">
          <button type="button" class="button-primary" disabled={busy} onClick={() => void save()}>
            Save template
          </button>
          <button
            type="button"
            class="button-quiet"
            disabled={busy || !storedHere}
            onClick={() => void reset()}
          >
            Reset to built-in text
          </button>
          <span class="saved-note" role="status">
            {note ?? ''}
          </span>
        </div>
      </div>
      <section class={`template-preview${problem ? ' is-stale' : ''}`} aria-labelledby={ids.preview}>
        <h3 id={ids.preview}>Preview</h3>
        <p class="hint">
          {problem ? 'The last text that rendered; it follows again once the error is fixed. ' : ''}
          {loading ? 'Loading the text' : source ? SOURCE_WORDS[source] : ''}
          {sampleType
            ? `, with a sample ${types.find((type) => type.type === sampleType)?.key ?? ''} event.`
            : ''}
        </p>
        {isEmail && preview?.subject && (
          <p class="preview-subject">
            <strong>Subject:</strong> {preview.subject}
          </p>
        )}
        <pre class="preview-text" data-testid="template-preview" aria-live="polite">
          {preview?.text ?? ''}
        </pre>
      </section>
    </div>
  );
}
