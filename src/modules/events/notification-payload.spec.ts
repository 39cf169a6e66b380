import { EventType } from './event-types';
import {
  buildNotificationPayload,
  buildStoredPayload,
  webhookBody,
  webhookJson,
} from './notification-payload';

const fields = {
  id: '0190f1d2-0000-7000-8000-000000000001',
  eventType: EventType.JOB_FAIL,
  occurredAt: new Date('2026-01-02T03:04:05.678Z'),
  createdAt: new Date('2026-01-02T03:04:06.000Z'),
  stack: { id: '6c1f3b0e-2d4a-4c5e-9f00-000000000002', name: 'web "prod"', environment: 'production' },
};
const data = {
  job: 'nightly',
  exitCode: 3,
  tags: ['a', 'b'],
  nested: { note: 'line\nbreak \u2028 "quoted"' },
};

describe('notification payloads', () => {
  it('serialize a webhook body exactly as JSON.stringify of webhookBody does', () => {
    const payload = buildNotificationPayload({ ...fields, data });
    expect(webhookJson(payload, 1767323047)).toBe(JSON.stringify(webhookBody(payload, 1767323047)));
  });

  it('read from stored data equal the payload built from parsed data, key order included', () => {
    const plain = buildNotificationPayload({ ...fields, data });
    const stored = buildStoredPayload(fields, JSON.stringify(data));
    expect(JSON.stringify(stored)).toBe(JSON.stringify(plain));
    expect(stored.data).toEqual(data);
    expect(Object.keys(stored)).toEqual(Object.keys(plain));
    // The webhook body carries the stored text as it is.
    expect(webhookJson(stored, 1767323047)).toBe(JSON.stringify(webhookBody(plain, 1767323047)));
    expect({ ...stored }).toEqual({ ...plain });
  });
});
