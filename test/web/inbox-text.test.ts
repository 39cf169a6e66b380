// How the inbox words and arranges what it shows, without a browser: human keys, lengths of time, incident groups.
import { formatElapsed, formatRelative, humanizeKey } from '../../web/src/format';
import { notificationOptions, notificationTitle } from '../../web/src/notification-text';
import {
  groupByIncident,
  incidentState,
  type InboxIncident,
  type InboxNotification,
} from '../../web/src/inbox';

function notification(id: string, incident: InboxIncident | null = null): InboxNotification {
  return {
    id,
    stack: { id: 's', name: 'shop', environment: 'production' },
    eventType: 'JOB_FAIL',
    eventKey: 'job.fail',
    title: 'Job run failed',
    data: {},
    occurredAt: '2026-01-01T10:00:00.000Z',
    read: false,
    browserAlert: false,
    outcome: 'FAILURE',
    severity: 'WARNING',
    incident,
  };
}

function incident(id: string, state: 'OPEN' | 'RESOLVED', duration: number | null = null): InboxIncident {
  return {
    id,
    state,
    family: 'server',
    subject: 'web-1',
    openedAt: '2026-01-01T10:00:00.000Z',
    resolvedAt: state === 'RESOLVED' ? '2026-01-01T10:14:00.000Z' : null,
    duration,
  };
}

describe('humanizeKey', () => {
  it.each([
    ['lastHeartbeat', 'Last heartbeat'],
    ['last_heartbeat', 'Last heartbeat'],
    ['server', 'Server'],
    ['serverIp', 'Server IP'],
    ['HTTPStatus', 'HTTP status'],
    ['exit-code', 'Exit code'],
    ['', ''],
  ])('reads %j as %j', (key, words) => expect(humanizeKey(key)).toBe(words));
});

describe('formatElapsed and formatRelative', () => {
  it('says lengths of time in the largest units that fit', () => {
    expect(formatElapsed(40)).toBe('40 s');
    expect(formatElapsed(14 * 60)).toBe('14 min');
    expect(formatElapsed(2 * 3600 + 5 * 60)).toBe('2 h 5 min');
    expect(formatElapsed(3 * 86400 + 4 * 3600)).toBe('3 d 4 h');
  });

  it('says how long ago, and the date once it is more than a week', () => {
    const now = Date.parse('2026-01-01T10:20:00.000Z');
    expect(formatRelative('2026-01-01T10:19:50.000Z', now)).toBe('just now');
    expect(formatRelative('2026-01-01T10:00:00.000Z', now)).toBe('20 minutes ago');
    expect(formatRelative('2025-12-01T10:00:00.000Z', now)).toMatch(/2025/);
    expect(formatRelative('not a date', now)).toBe('not a date');
  });
});

describe('groupByIncident', () => {
  it("puts an incident's notifications together at the place of its newest, which knows it resolved", () => {
    const open = incident('i1', 'OPEN');
    const resolved = incident('i1', 'RESOLVED', 14 * 60);
    const entries = groupByIncident([
      notification('n4'),
      notification('n3', resolved),
      notification('n2', incident('i2', 'OPEN')),
      notification('n1', open),
    ]);
    expect(
      entries.map((entry) =>
        entry.kind === 'single' ? entry.notification.id : entry.notifications.map((each) => each.id),
      ),
    ).toEqual(['n4', ['n3', 'n1'], 'n2']);
    const group = entries[1];
    expect(group.kind === 'incident' && incidentState(group.incident, Date.now())).toBe(
      'Resolved after 14 min',
    );
  });

  it('says how long an open incident has been open', () => {
    const now = Date.parse('2026-01-01T10:03:00.000Z');
    expect(incidentState(incident('i1', 'OPEN'), now)).toBe('Open for 3 min');
    expect(incidentState(incident('i1', 'OPEN'), Date.parse('2026-01-01T10:00:20.000Z'))).toBe(
      'Open for less than a minute',
    );
  });
});

describe('browser notifications', () => {
  it("call the event by the catalogue's name, as the inbox does, with its details and not its key", () => {
    const shown = { ...notification('n1'), data: { job: 'nightly-backup' } };
    expect(notificationTitle(shown)).toBe('shop (production): Job run failed');
    expect(notificationOptions(shown).body).toBe('job nightly-backup');
  });

  it('fall back to the key for a push queued without a title', () => {
    const shown = { ...notification('n2'), title: undefined, data: {} };
    expect(notificationTitle(shown)).toBe('shop (production): job.fail');
    expect(notificationOptions(shown).body).toBe('job.fail');
  });
});
