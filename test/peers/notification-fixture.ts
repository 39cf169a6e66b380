// A notification as the delivery worker hands it to transports, for transport and peer tests.
import { randomUUID } from 'node:crypto';
import { EventType } from '../../src/modules/events/event-types';
import {
  buildNotificationPayload,
  type NotificationPayload,
} from '../../src/modules/events/notification-payload';

export function sampleNotification(
  overrides: { eventType?: EventType; data?: Record<string, unknown>; stackName?: string } = {},
): NotificationPayload {
  const occurredAt = new Date('2025-03-04T05:06:07.000Z');
  return buildNotificationPayload({
    id: randomUUID(),
    eventType: overrides.eventType ?? EventType.STACK_REDEPLOY_OK,
    data: overrides.data ?? { commitSha: 'a1b2c3d', deployedBy: 'ada@example.com', durationSeconds: 42 },
    occurredAt,
    createdAt: new Date(occurredAt.getTime() + 1000),
    stack: { id: randomUUID(), name: overrides.stackName ?? 'web', environment: 'production' },
  });
}
