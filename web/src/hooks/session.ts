// The signed-in session that every screen uses: the API client, the live connection and who is signed in.
import type { Client } from 'graphql-ws';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from '../api/client';
import type { ConnectionMonitor } from '../api/connection';
import type { ViewerQuery } from '../graphql/generated';

export type Viewer = ViewerQuery['me'];

export interface Session {
  api: Api;
  live: Client;
  viewer: Viewer;
  signOut: (notice?: string) => void;
  /** Whether the server answers; views read their data again when it is back (useQuery does). */
  connection: ConnectionMonitor;
  /** Calls back each time the live connection is made, first or again; returns the function that stops it. */
  onConnected: (listener: () => void) => () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a signed-in SessionContext');
  return session;
}

/** OWNER and ADMIN set up shared channels and stacks; MEMBER only their own channels. */
export function canManageStacks(viewer: Viewer): boolean {
  return viewer.role === 'OWNER' || viewer.role === 'ADMIN';
}
