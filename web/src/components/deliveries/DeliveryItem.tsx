// One delivery of the log: a compact row (status, channel, event, target, when, attempts) that opens to its attempts.
import { formatDateTimePrecise, formatRelative } from '../../format';
import type { DeliveryRowFragment } from '../../graphql/generated';
import { notificationDetails } from '../../notification-text';
import { plainTransportError } from '../../transport-errors';
import { DeliveryAttempts } from './DeliveryAttempts';
import { attemptCountText, deliveryStatusText, deliveryStatusTone, summaryText } from './delivery-text';

export interface DeliveryItemProps {
  delivery: DeliveryRowFragment;
  /** The channel's name ("Slack #deploys") or kind ("Email"). */
  channelLabel: string;
  now: number;
  expanded: boolean;
  onToggle: () => void;
  /** Whether the viewer may start it over (and so select it for that). */
  redeliverable: boolean;
  selected: boolean;
  onSelect: (selected: boolean) => void;
  onRedeliver: () => void;
}

/** The last failed attempt's reason, in plain words where they are known. */
function lastFailure(delivery: DeliveryRowFragment): string | null {
  const last = delivery.attempts[delivery.attempts.length - 1];
  if (!last || last.ok) return null;
  return plainTransportError(last.error, last.statusCode) ?? last.error;
}

export function DeliveryItem(props: DeliveryItemProps) {
  const { delivery, channelLabel, now, expanded } = props;
  const panelId = `delivery-${delivery.id}`;
  const tone = deliveryStatusTone(delivery);
  const status = deliveryStatusText(delivery);
  const summary = summaryText(delivery);
  const failure = tone === 'bad' || tone === 'retrying' ? lastFailure(delivery) : null;
  // A summary is named for what it is; its notification is only the first it carries.
  const title = summary ?? delivery.notification.title;
  // What tells this event from others of its type ("job nightly-backup"), beside its name.
  const details = summary ? '' : notificationDetails(delivery.notification.data);
  const describe = `${title} by ${channelLabel} to ${delivery.target}`;

  return (
    <li class={`delivery tone-${tone}${expanded ? ' is-expanded' : ''}`} data-delivery-id={delivery.id}>
      <div class="delivery-row">
        <span class="delivery-select">
          {props.redeliverable && (
            <input
              type="checkbox"
              checked={props.selected}
              aria-label={`Select ${describe}`}
              onChange={(event) => props.onSelect(event.currentTarget.checked)}
            />
          )}
        </span>
        <span class={`status status-${tone}`}>{status}</span>
        <button
          type="button"
          class="delivery-toggle"
          aria-expanded={expanded}
          aria-controls={panelId}
          onClick={props.onToggle}
        >
          <span class="chevron" aria-hidden="true" />
          <span class="delivery-event">
            {title}
            {details && <span class="delivery-event-details"> · {details}</span>}
          </span>
        </button>
        <span class="delivery-channel">{channelLabel}</span>
        <span class="delivery-target" title={delivery.target}>
          {delivery.target}
        </span>
        <time
          class="delivery-time"
          dateTime={delivery.createdAt}
          title={formatDateTimePrecise(delivery.createdAt)}
        >
          {formatRelative(delivery.createdAt, now)}
        </time>
        <span class="delivery-attempts">{attemptCountText(delivery.attempts.length)}</span>
      </div>
      {failure && !expanded && <p class="delivery-reason">{failure}</p>}
      {expanded && (
        <div id={panelId} class="delivery-details">
          <DeliveryFacts delivery={delivery} channelLabel={channelLabel} now={now} summary={summary} />
          {props.redeliverable && (
            <div class="actions">
              <button
                type="button"
                class="button-secondary"
                onClick={props.onRedeliver}
                aria-label={`Redeliver ${describe}`}
              >
                Redeliver
              </button>
            </div>
          )}
          <DeliveryAttempts delivery={delivery} />
        </div>
      )}
    </li>
  );
}

function DeliveryFacts({
  delivery,
  channelLabel,
  now,
  summary,
}: {
  delivery: DeliveryRowFragment;
  channelLabel: string;
  now: number;
  summary: string | null;
}) {
  const next = delivery.nextAttemptAt;
  return (
    <dl class="delivery-facts">
      <div>
        <dt>{summary ? 'First notification' : 'Event'}</dt>
        <dd>
          {delivery.notification.title} <code>{delivery.notification.eventKey}</code>
        </dd>
      </div>
      <div>
        <dt>To</dt>
        <dd>
          {channelLabel}: {delivery.target}
        </dd>
      </div>
      <div>
        <dt>Written</dt>
        <dd>
          <time dateTime={delivery.createdAt}>{formatDateTimePrecise(delivery.createdAt)}</time>
        </dd>
      </div>
      {delivery.status === 'PENDING' && next && (
        <div>
          <dt>Next attempt</dt>
          <dd>
            <time dateTime={next} title={formatDateTimePrecise(next)}>
              {new Date(next).getTime() <= now ? 'now' : formatRelative(next, now)}
            </time>
          </dd>
        </div>
      )}
      {delivery.status === 'HELD' && next && (
        <div>
          <dt>Held until</dt>
          <dd>
            <time dateTime={next}>{formatDateTimePrecise(next)}</time>
          </dd>
        </div>
      )}
      {delivery.status === 'SUMMARISED' && (
        <div>
          <dt>Sent</dt>
          <dd>in the summary at the end of its window</dd>
        </div>
      )}
    </dl>
  );
}
