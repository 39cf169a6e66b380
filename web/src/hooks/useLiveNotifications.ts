// The stack's notifications as they are published, over the graphql-ws subscription.
import { useEffect, useRef, useState } from 'preact/hooks';
import { subscribe } from '../api/live';
import { NotificationReceivedDocument, type SidebarNotificationFragment } from '../graphql/generated';
import { useSession } from './session';

/** Calls onNotification for each new notification of the stack; returns the subscription's error, if any. */
export function useLiveNotifications(
  stackId: string,
  onNotification: (notification: SidebarNotificationFragment) => void,
): string | null {
  const { live } = useSession();
  const [error, setError] = useState<string | null>(null);
  // The subscription lives as long as the stack is shown; the callback may change on every render.
  const handler = useRef(onNotification);
  handler.current = onNotification;

  useEffect(() => {
    setError(null);
    return subscribe(
      live,
      NotificationReceivedDocument,
      { stackId },
      {
        next: ({ notificationReceived }) => handler.current(notificationReceived),
        error: (problem) => setError(problem.message),
      },
    );
  }, [live, stackId]);

  return error;
}
