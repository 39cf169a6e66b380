// "Send test": a test notification through the channel now, and what the other end answered.
import { useState } from 'preact/hooks';
import { errorMessage } from '../api/errors';
import { CHANNEL_LABELS, type SharedChannelKind } from '../channels';
import { formatDuration } from '../format';
import { TestChannelDocument, type TestChannelMutation } from '../graphql/generated';
import { useSession } from '../hooks/session';
import { FormError } from './FormError';

type TestResult = TestChannelMutation['testChannel'];

export function ChannelTest({ stackId, kind }: { stackId: string; kind: SharedChannelKind }) {
  const { api } = useSession();
  const [result, setResult] = useState<TestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function sendTest() {
    setBusy(true);
    setError(null);
    try {
      setResult((await api.request(TestChannelDocument, { stackId, kind })).testChannel);
    } catch (thrown) {
      setResult(null);
      setError(errorMessage(thrown));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="channel-test" aria-label={`Test ${CHANNEL_LABELS[kind]}`}>
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
  return (
    <div class={`test-result ${result.ok ? 'is-ok' : 'is-failed'}`} data-testid="test-result">
      <p>
        <strong>{result.ok ? 'Delivered' : 'Failed'}</strong>
        {' · '}
        <span>{result.statusCode === null ? 'no answer' : `status ${result.statusCode}`}</span>
        {' · '}
        <span>{formatDuration(result.durationMs)}</span>
      </p>
      {result.error && <p class="test-error">{result.error}</p>}
      {result.responseExcerpt && (
        <pre class="excerpt" aria-label="Response excerpt">
          {result.responseExcerpt}
        </pre>
      )}
    </div>
  );
}
