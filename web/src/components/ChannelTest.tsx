// "Send test": a test notification through the channel now, and what the other end answered, in plain words.
import { useState } from 'preact/hooks';
import { errorMessage } from '../api/errors';
import { formatDuration } from '../format';
import {
  SendChannelTestDocument,
  type ChannelKind,
  type SendChannelTestMutation,
} from '../graphql/generated';
import { useSession } from '../hooks/session';
import { describeTransportError } from '../transport-errors';
import { FormError } from './FormError';

type TestResult = SendChannelTestMutation['testChannel'];

export interface ChannelTestProps {
  stackId: string;
  /** A shared channel's id; null for the viewer's own channel of `kind`. */
  channelId: string | null;
  kind: ChannelKind;
  /** The channel's name, for the section's label. */
  name: string;
}

export function ChannelTest({ stackId, channelId, kind, name }: ChannelTestProps) {
  const { api } = useSession();
  const [result, setResult] = useState<TestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function sendTest() {
    setBusy(true);
    setError(null);
    try {
      const variables = channelId ? { stackId, channelId } : { stackId, kind };
      setResult((await api.request(SendChannelTestDocument, variables)).testChannel);
    } catch (thrown) {
      setResult(null);
      setError(errorMessage(thrown));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="channel-test" aria-label={`Test ${name}`}>
      <button type="button" class="button-secondary" onClick={sendTest} disabled={busy}>
        {busy ? 'Sending…' : 'Send test'}
      </button>
      <div role="status" aria-live="polite">
        {result && <TestResultView result={result} />}
      </div>
      <FormError message={error} />
    </section>
  );
}

function TestResultView({ result }: { result: TestResult }) {
  const failure = result.ok ? null : describeTransportError(result.error, result.statusCode);
  return (
    <div class={`test-result ${result.ok ? 'is-ok' : 'is-failed'}`} data-testid="test-result">
      <p>
        <strong>{result.ok ? 'Delivered' : 'Failed'}</strong>
        {' · '}
        <span>{result.statusCode === null ? 'no answer' : `status ${result.statusCode}`}</span>
        {' · '}
        <span>{formatDuration(result.durationMs)}</span>
      </p>
      {failure && <TransportError failure={failure} />}
      {result.responseExcerpt && (
        <pre class="excerpt" aria-label="Response excerpt">
          {result.responseExcerpt}
        </pre>
      )}
    </div>
  );
}

/** A delivery error's plain words, with the text the log recorded beneath. */
export function TransportError({
  failure,
}: {
  failure: NonNullable<ReturnType<typeof describeTransportError>>;
}) {
  return (
    <div class="transport-error">
      <p class="test-error">{failure.summary}</p>
      {sameWords(failure.raw, failure.summary) || <code class="raw-error">{failure.raw}</code>}
    </div>
  );
}

function sameWords(a: string, b: string): boolean {
  const words = (text: string) => text.trim().replace(/\.$/, '').toLowerCase();
  return words(a) === words(b);
}
