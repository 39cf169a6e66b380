// The stack's notifications as they are published, over the graphql-ws subscription.
import { useEffect, useRef, useState } from 'preact/hooks';
import { subscribe } from '../api/live';
import { NotificationReceivedDocument, type SidebarNotificationFragment } from '../graphql/generated';
import { useSession } from './session';

export interface LiveNotificationOptions {
  /** The newest notification the page has: each (re)subscription asks for what followed it. */
  newestId: () => string | null;
  onNotification: (notification: SidebarNotificationFragment) => void;
  /** Too much followed newestId to replay (REPLAY_TOO_LONG): read the history again. */
  reload: () => Promise<void>;
}

/** Calls onNotification for each new notification of the stack; returns the subscription's error, if any. */
export function useLiveNotifications(stackId: string, options: LiveNotificationOptions): string | null {
  const { live } = useSession();
  const [error, setError] = useState<string | null>(null);
  /** Bumped to subscribe again after the history was read anew. */
  const [generation, setGeneration] = useState(0);
  // The subscription lives as long as the stack is shown; the callbacks may change on every render.
  const current = useRef(options);
  current.current = options;

  useEffect(() => {
    setError(null);
    let active = true;
    const stop = subscribe(
      live,
      NotificationReceivedDocument,
      () => ({ stackId, after: current.current.newestId() }),
      {
        next: ({ notificationReceived }) => current.current.onNotification(notificationReceived),
        error: (problem) => {
          if (problem.code !== 'REPLAY_TOO_LONG') {
            setError(problem.message);
            return;
          }
          void current.current.reload().then(() => {
            if (active) setGeneration((value) => value + 1);
          });
        },
      },
    );
    return () => {
      active = false;
      stop();
    };
  }, [live, stackId, generation]);

  return error;
}
