// The stack's shared channels (several of a kind), each with how it has been delivering, and the viewer's own.
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDateTime, formatElapsed, formatRelative } from '../format';
import {
  DeleteSharedChannelDocument,
  StackChannelCardsDocument,
  type ChannelHealthFieldsFragment,
  type PersonalChannelCardFragment,
} from '../graphql/generated';
import { useSession } from '../hooks/session';
import type { BrowserAlerts } from '../hooks/useBrowserAlerts';
import { useNow } from '../hooks/useNow';
import { useQuery } from '../hooks/useQuery';
import { describeTransportError } from '../transport-errors';
import { BrowserSwitch } from './BrowserSwitch';
import { ChannelDialog } from './ChannelDialog';
import { TransportError } from './ChannelTest';
import { isSharedKind, KIND_SPECS, type SharedChannel } from './channel-types';
import { ConfirmDialog } from './ConfirmDialog';
import { FormError } from './FormError';
import { Link } from './Link';
import { TemplateDialog, type TemplateTarget } from './TemplateEditor';
import './channels.css';

export interface ChannelCardsProps {
  stackId: string;
  alerts: BrowserAlerts;
  /** OWNER or ADMIN: may add, change and remove the stack's channels and write their templates. */
  canManage: boolean;
  /** A channel was added, changed or removed: the event grid's columns follow. */
  onChannelsChanged: () => void;
  /** Opens the edit dialog of this shared channel (the grid's "Set up"); a new object opens it again. */
  editRequest?: { channelId: string } | null;
}

type Opened =
  | { kind: 'add' }
  | { kind: 'edit'; channel: SharedChannel }
  | { kind: 'remove'; channel: SharedChannel }
  | { kind: 'template'; target: TemplateTarget };

export function ChannelCards({
  stackId,
  alerts,
  canManage,
  onChannelsChanged,
  editRequest,
}: ChannelCardsProps) {
  const { api } = useSession();
  const cards = useQuery(StackChannelCardsDocument, { id: stackId });
  const [opened, setOpenedState] = useState<Opened | null>(null);
  // What had focus when a dialog opened: focus goes back to it when the dialog closes, whichever way.
  const opener = useRef<HTMLElement | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const now = useNow();
  const stack = cards.data?.stack;

  function setOpened(next: Opened | null) {
    if (next) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    } else {
      const back = opener.current;
      setTimeout(() => {
        const focused = document.activeElement;
        if (back?.isConnected && (!focused || focused === document.body)) back.focus();
      }, 0);
    }
    setOpenedState(next);
  }

  useEffect(() => {
    const channel =
      editRequest && stack?.sharedChannels.find((candidate) => candidate.id === editRequest.channelId);
    if (channel && canManage) setOpened({ kind: 'edit', channel });
    // Only a new request opens the dialog, not a later change of the list.
  }, [editRequest]);

  function changed(channel: SharedChannel) {
    cards.update(({ stack: current }) => {
      const exists = current.sharedChannels.some((candidate) => candidate.id === channel.id);
      return {
        stack: {
          ...current,
          sharedChannels: exists
            ? current.sharedChannels.map((candidate) => (candidate.id === channel.id ? channel : candidate))
            : [...current.sharedChannels, channel],
        },
      };
    });
    onChannelsChanged();
  }

  async function remove(channel: SharedChannel) {
    await api.request(DeleteSharedChannelDocument, { id: channel.id });
    cards.update(({ stack: current }) => ({
      stack: {
        ...current,
        sharedChannels: current.sharedChannels.filter((candidate) => candidate.id !== channel.id),
      },
    }));
    // The card and its buttons are gone: focus goes on to adding a channel.
    opener.current = addButton.current;
    setOpened(null);
    onChannelsChanged();
  }

  if (!stack) {
    return cards.error ? <FormError message={cards.error.message} /> : <p class="hint">Loading channels…</p>;
  }

  return (
    <>
      {canManage && (
        <div class="actions channel-actions">
          <button
            ref={addButton}
            type="button"
            class="button-primary"
            onClick={() => setOpened({ kind: 'add' })}
          >
            Add a channel
          </button>
          <span class="hint">
            Slack, Hipchat, webhook, Microsoft Teams or Discord; as many of each as you need.
          </span>
        </div>
      )}
      <h3 class="channel-group-heading">Shared with everyone on this stack</h3>
      {stack.sharedChannels.length === 0 ? (
        <p class="hint">
          No shared channel yet.{canManage ? '' : ' An owner or admin of the account adds them.'}
        </p>
      ) : (
        <ul class="channel-cards">
          {stack.sharedChannels.map((channel) => (
            <SharedChannelCard
              key={channel.id}
              stackId={stackId}
              channel={channel}
              now={now}
              canManage={canManage}
              onOpen={setOpened}
            />
          ))}
        </ul>
      )}
      <h3 class="channel-group-heading">Yours</h3>
      <ul class="channel-cards">
        {stack.personalChannels.map((channel) => (
          <PersonalChannelCard
            key={channel.kind}
            channel={channel}
            alerts={alerts}
            canManage={canManage}
            onOpen={setOpened}
          />
        ))}
      </ul>
      {(opened?.kind === 'add' || opened?.kind === 'edit') && (
        <ChannelDialog
          stackId={stackId}
          channel={opened.kind === 'edit' ? opened.channel : null}
          onChanged={changed}
          onClose={() => setOpened(null)}
        />
      )}
      {opened?.kind === 'remove' && (
        <ConfirmDialog
          title={`Remove ${opened.channel.name}?`}
          confirmLabel={`Remove ${opened.channel.name}`}
          onConfirm={() => remove(opened.channel)}
          onClose={() => setOpened(null)}
        >
          <p>
            Its settings and its column of the event grid are deleted. Its deliveries stay in the log; those
            still waiting for it fail.
          </p>
        </ConfirmDialog>
      )}
      {opened?.kind === 'template' && (
        <TemplateDialog stackId={stackId} target={opened.target} onClose={() => setOpened(null)} />
      )}
    </>
  );
}

interface SharedChannelCardProps {
  stackId: string;
  channel: SharedChannel;
  now: number;
  canManage: boolean;
  onOpen: (opened: Opened) => void;
}

function SharedChannelCard({ stackId, channel, now, canManage, onOpen }: SharedChannelCardProps) {
  const spec = isSharedKind(channel.kind) ? KIND_SPECS[channel.kind] : null;
  const health = channel.health ?? null;
  const state = !channel.enabled ? 'disabled' : health?.failingSince ? 'failing' : 'ready';
  return (
    <li class={`channel-card is-${state}`} data-channel-id={channel.id} data-kind={channel.kind}>
      <div class="channel-card-title">
        <h4>{channel.name}</h4>
        <span class="kind-label">{spec?.label ?? channel.kind}</span>
        {state === 'disabled' && <span class="badge badge-bad">Disabled</span>}
      </div>
      {spec && <p class="channel-detail">{spec.describe(channel) || '—'}</p>}
      {state === 'disabled' && channel.disabledReason && (
        <p class="channel-disabled-reason">{channel.disabledReason}</p>
      )}
      <ChannelHealthView health={health} now={now} />
      <Link
        to={{ name: 'stack', stackId, view: 'deliveries', channelId: channel.id }}
        class="channel-deliveries-link"
      >
        Deliveries<span class="visually-hidden"> of {channel.name}</span>
      </Link>
      {canManage ? (
        <div class="channel-card-actions">
          <button
            type="button"
            class="button-secondary"
            aria-label={`Edit ${channel.name}`}
            onClick={() => onOpen({ kind: 'edit', channel })}
          >
            Edit
          </button>
          <button
            type="button"
            class="button-quiet"
            aria-label={`Message template of ${channel.name}`}
            onClick={() =>
              onOpen({
                kind: 'template',
                target: { channelId: channel.id, kind: channel.kind, name: channel.name },
              })
            }
          >
            Template
          </button>
          <button
            type="button"
            class="button-danger"
            aria-label={`Remove ${channel.name}`}
            onClick={() => onOpen({ kind: 'remove', channel })}
          >
            Remove
          </button>
        </div>
      ) : (
        <p class="hint">Set up by an owner or admin.</p>
      )}
    </li>
  );
}

function TimeAgo({ iso, now }: { iso: string; now: number }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso, now)}
    </time>
  );
}

export function ChannelHealthView({
  health,
  now,
}: {
  health: ChannelHealthFieldsFragment | null;
  now: number;
}) {
  if (!health?.lastDeliveryAt) {
    return (
      <div class="channel-health">
        <p class="health-line is-none">No deliveries yet</p>
        {health && health.deadCount > 0 && <DeadCount count={health.deadCount} />}
      </div>
    );
  }
  const failure = health.lastDeliveryOk
    ? null
    : (describeTransportError(health.lastError, health.lastStatusCode) ?? {
        summary: 'The last attempt failed.',
        raw: '',
      });
  return (
    <div class="channel-health">
      <p class={`health-line ${health.lastDeliveryOk ? 'is-ok' : 'is-failed'}`}>
        <span aria-hidden="true">{health.lastDeliveryOk ? '✓ ' : '✕ '}</span>
        {health.lastDeliveryOk ? 'Delivered' : 'Failed'} <TimeAgo iso={health.lastDeliveryAt} now={now} />
      </p>
      {failure && <TransportError failure={failure} />}
      {health.failingSince && (
        <p class="health-line is-failed">
          Failing for {formatElapsed((now - Date.parse(health.failingSince)) / 1000)}, since{' '}
          <time dateTime={health.failingSince}>{formatDateTime(health.failingSince)}</time>
        </p>
      )}
      {health.deadCount > 0 && <DeadCount count={health.deadCount} />}
    </div>
  );
}

function DeadCount({ count }: { count: number }) {
  return (
    <p class="health-line is-failed">
      {count} dead {count === 1 ? 'delivery' : 'deliveries'} (every retry failed)
    </p>
  );
}

interface PersonalChannelCardProps {
  channel: PersonalChannelCardFragment;
  alerts: BrowserAlerts;
  canManage: boolean;
  onOpen: (opened: Opened) => void;
}

function personalDetail(channel: PersonalChannelCardFragment): string {
  switch (channel.__typename) {
    case 'EmailChannel':
      return `To ${channel.address}`;
    case 'IosChannel':
      return channel.devices.length > 0
        ? `${channel.devices.length} ${channel.devices.length === 1 ? 'device' : 'devices'}: ${channel.devices
            .map((device) => device.deviceName ?? 'unnamed')
            .join(', ')}`
        : 'No device registered yet: devices are added from the iOS app';
    case 'BrowserChannel':
      return 'For you, in each browser where you turn them on';
    default:
      return '';
  }
}

const PERSONAL_LABELS: Record<string, string> = { EMAIL: 'Email', IOS: 'iOS', BROWSER: 'Browser' };

function PersonalChannelCard({ channel, alerts, canManage, onOpen }: PersonalChannelCardProps) {
  const label = PERSONAL_LABELS[channel.kind] ?? channel.name;
  return (
    <li
      class={`channel-card is-personal ${channel.configured ? 'is-ready' : 'is-not-set-up'}`}
      data-kind={channel.kind}
    >
      <div class="channel-card-title">
        <h4>{label}</h4>
        {!channel.configured && <span class="badge">not set up</span>}
      </div>
      <p class="channel-detail">{personalDetail(channel)}</p>
      {channel.kind === 'BROWSER' && <BrowserSwitch alerts={alerts} />}
      {channel.kind === 'EMAIL' && canManage && (
        <div class="channel-card-actions">
          <button
            type="button"
            class="button-quiet"
            aria-label="Email template of this stack"
            onClick={() =>
              onOpen({ kind: 'template', target: { channelId: null, kind: 'EMAIL', name: 'Email' } })
            }
          >
            Template
          </button>
        </div>
      )}
    </li>
  );
}
