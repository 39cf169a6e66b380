// An opened delivery's attempts, oldest first: the outcome in plain words with the raw error beneath, and what was
// sent and what came back (read when the delivery is opened, and again when it gets another attempt).
import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../../api/errors';
import { formatDateTimePrecise, formatDuration } from '../../format';
import {
  DeliveryExchangesDocument,
  type DeliveryAttemptExchangeFragment,
  type DeliveryRowFragment,
} from '../../graphql/generated';
import { useSession } from '../../hooks/session';
import { httpStatusText, plainTransportError } from '../../transport-errors';

type Attempt = DeliveryRowFragment['attempts'][number];
type Exchange = DeliveryAttemptExchangeFragment;
type Header = { name: string; value: string };

/** What the attempts sent and received, by attempt id; null while the first read is on its way. */
function useExchanges(deliveryId: string, attemptCount: number) {
  const { api } = useSession();
  const [exchanges, setExchanges] = useState<Map<string, Exchange> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    api.request(DeliveryExchangesDocument, { id: deliveryId }).then(
      ({ node }) => {
        if (!current) return;
        const attempts = node && 'attempts' in node ? node.attempts : [];
        setExchanges(new Map(attempts.map((attempt) => [attempt.id, attempt])));
        setError(null);
      },
      (thrown: unknown) => {
        if (current) setError(errorMessage(thrown));
      },
    );
    return () => {
      current = false;
    };
  }, [api, deliveryId, attemptCount]);
  return { exchanges, error };
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function DeliveryAttempts({ delivery }: { delivery: DeliveryRowFragment }) {
  const { exchanges, error } = useExchanges(delivery.id, delivery.attempts.length);
  if (delivery.attempts.length === 0) return null;
  return (
    <div class="attempt-log">
      {error && <p class="form-error">What was sent could not be read: {error}</p>}
      <ol class="attempts" aria-label="Attempts, oldest first">
        {delivery.attempts.map((attempt, index) => (
          <AttemptItem
            key={attempt.id}
            attempt={attempt}
            number={index + 1}
            exchange={exchanges?.get(attempt.id)}
            loading={exchanges === null && error === null}
          />
        ))}
      </ol>
    </div>
  );
}

function AttemptItem({
  attempt,
  number,
  exchange,
  loading,
}: {
  attempt: Attempt;
  number: number;
  exchange: Exchange | undefined;
  loading: boolean;
}) {
  const plain = attempt.ok ? null : plainTransportError(attempt.error, attempt.statusCode);
  return (
    <li class={`attempt ${attempt.ok ? 'attempt-ok' : 'attempt-failed'}`} data-attempt-id={attempt.id}>
      <h4 class="attempt-title">
        <span>Attempt {number}</span>
        <span class="attempt-result">{attempt.ok ? 'Delivered' : 'Failed'}</span>
        {attempt.statusCode !== null && <span class="muted">status {attempt.statusCode}</span>}
        <span class="muted">{formatDuration(attempt.durationMs)}</span>
        <time class="muted" dateTime={attempt.at}>
          {formatDateTimePrecise(attempt.at)}
        </time>
      </h4>
      {!attempt.ok && (attempt.error || plain) && (
        <div class="attempt-error">
          {plain && <p class="plain-error">{plain}</p>}
          {attempt.error && (
            <p class="raw-error">
              <code>{attempt.error}</code>
            </p>
          )}
        </div>
      )}
      {loading && <p class="hint">Loading what was sent…</p>}
      {exchange && (
        <div class="exchange">
          <RequestSent request={exchange.request} />
          <ResponseReceived response={exchange.response} />
        </div>
      )}
    </li>
  );
}

function RequestSent({ request }: { request: Exchange['request'] }) {
  return (
    <section class="exchange-part">
      <h5>Request</h5>
      {!request ? (
        <p class="hint">Nothing was sent: the attempt stopped before sending.</p>
      ) : (
        <>
          <p class="request-line">
            <code>
              <strong>{request.method}</strong> {request.url}
            </code>
          </p>
          <Headers headers={request.headers} label="Request headers" />
          <Body
            body={request.body}
            truncated={request.bodyTruncated}
            label="Request body"
            empty={
              request.bodySize > 0 ? `Body not kept (${formatBytes(request.bodySize)}, encrypted)` : 'No body'
            }
          />
          {request.bodyTruncated && (
            <p class="hint">Only the first 64 KiB of {formatBytes(request.bodySize)} were kept.</p>
          )}
        </>
      )}
    </section>
  );
}

function ResponseReceived({ response }: { response: Exchange['response'] }) {
  return (
    <section class="exchange-part">
      <h5>Response</h5>
      {!response ? (
        <p class="hint">No answer came.</p>
      ) : (
        <>
          {response.status !== null && (
            <p class="request-line">
              <code>
                <strong>{httpStatusText(response.status)}</strong>
              </code>
            </p>
          )}
          <Headers headers={response.headers} label="Response headers" />
          <Body
            body={response.body}
            truncated={response.bodyTruncated}
            label="Response body"
            empty="Empty body"
          />
          {response.bodyTruncated && <p class="hint">Truncated: only the first 64 KiB were kept.</p>}
        </>
      )}
    </section>
  );
}

function Headers({ headers, label }: { headers: readonly Header[]; label: string }) {
  if (headers.length === 0) return null;
  return (
    <details class="headers">
      <summary>
        {label} ({headers.length})
      </summary>
      <dl>
        {headers.map((header, index) => (
          <div key={`${header.name}-${index}`}>
            <dt>{header.name}</dt>
            <dd>{header.value}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

/** A body in a box of its own height at most; it scrolls, so it can be reached and scrolled by keyboard. */
function Body({
  body,
  truncated,
  label,
  empty,
}: {
  body: string | null;
  truncated: boolean;
  label: string;
  empty: string;
}) {
  if (!body) return <p class="hint">{empty}</p>;
  return (
    <pre
      class="exchange-body"
      tabIndex={0}
      role="group"
      aria-label={truncated ? `${label} (truncated)` : label}
    >
      {prettyBody(body)}
    </pre>
  );
}

/** JSON bodies indented, so a person can read them; anything else as it was. */
function prettyBody(body: string): string {
  const trimmed = body.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return body;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return body;
  }
}
