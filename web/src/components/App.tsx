// The page: sign-in until a token is accepted, then the signed-in shell with its session.
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { Api } from '../api/client';
import { ConnectionMonitor } from '../api/connection';
import { ApiError, errorMessage } from '../api/errors';
import { createLiveClient } from '../api/live';
import { ViewerDocument } from '../graphql/generated';
import { SessionContext, type Session, type Viewer } from '../hooks/session';
import { storedToken, storeToken } from '../storage';
import { Shell } from './Shell';
import { SignIn } from './SignIn';

const TOKEN_REFUSED = 'Your token is no longer accepted (revoked or expired): sign in again.';

type Auth =
  | { state: 'signed-out'; notice: string | null }
  | { state: 'checking'; token: string }
  | { state: 'unreachable'; token: string; message: string }
  | { state: 'signed-in'; token: string; viewer: Viewer };

function initialAuth(): Auth {
  const token = storedToken();
  return token ? { state: 'checking', token } : { state: 'signed-out', notice: null };
}

export function App() {
  const [auth, setAuth] = useState<Auth>(initialAuth);

  const signOut = useCallback((notice: string | null = null) => {
    storeToken(null);
    setAuth({ state: 'signed-out', notice });
  }, []);

  // The live socket is closed with 4403 when the token is revoked or its user's role changes: asking the API again
  // tells which, and a token that still works signs in again with its current role.
  const recheck = useCallback((token: string) => setAuth({ state: 'checking', token }), []);

  const signIn = useCallback((token: string, viewer: Viewer) => {
    storeToken(token);
    setAuth({ state: 'signed-in', token, viewer });
  }, []);

  useEffect(() => {
    if (auth.state !== 'checking') return;
    const { token } = auth;
    new Api(token).request(ViewerDocument, {}).then(
      ({ me }) => setAuth({ state: 'signed-in', token, viewer: me }),
      (error: unknown) => {
        if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') signOut(TOKEN_REFUSED);
        else setAuth({ state: 'unreachable', token, message: errorMessage(error) });
      },
    );
  }, [auth, signOut]);

  switch (auth.state) {
    case 'signed-out':
      return <SignIn onSignedIn={signIn} notice={auth.notice} />;
    case 'checking':
      return (
        <main id="main" class="sign-in" aria-busy="true">
          <p>Signing in…</p>
        </main>
      );
    case 'unreachable':
      return (
        <main id="main" class="sign-in">
          <p role="alert">{auth.message}</p>
          <button
            type="button"
            class="button-primary"
            onClick={() => setAuth({ state: 'checking', token: auth.token })}
          >
            Try again
          </button>
        </main>
      );
    case 'signed-in':
      return <SignedIn token={auth.token} viewer={auth.viewer} signOut={signOut} recheck={recheck} />;
  }
}

function SignedIn({
  token,
  viewer,
  signOut,
  recheck,
}: {
  token: string;
  viewer: Viewer;
  signOut: (notice?: string) => void;
  recheck: (token: string) => void;
}) {
  const session = useMemo<Session>(() => {
    const connectedListeners = new Set<() => void>();
    const refused = () => signOut(TOKEN_REFUSED);
    const connection = new ConnectionMonitor();
    return {
      api: new Api(token, refused, connection),
      live: createLiveClient({
        token,
        onForbidden: () => recheck(token),
        onLost: () => connection.lost(),
        onConnected: () => {
          connection.answered();
          connectedListeners.forEach((listener) => listener());
        },
      }),
      connection,
      viewer,
      signOut,
      onConnected: (listener) => {
        connectedListeners.add(listener);
        return () => connectedListeners.delete(listener);
      },
    };
  }, [token, viewer, signOut, recheck]);

  useEffect(
    () => () => {
      void session.live.dispose();
      session.connection.dispose();
    },
    [session],
  );

  return (
    <SessionContext.Provider value={session}>
      <Shell />
    </SessionContext.Provider>
  );
}
