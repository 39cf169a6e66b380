// Sign-in with an API token, pasted once and kept in this browser.
import { useMemo, useState } from 'preact/hooks';
import { Api } from '../api/client';
import { ApiError, errorMessage } from '../api/errors';
import { ViewerDocument } from '../graphql/generated';
import type { Viewer } from '../hooks/session';
import { readPageConfig } from '../page-config';
import { TextField } from './TextField';

export interface SignInProps {
  onSignedIn: (token: string, viewer: Viewer) => void;
  /** Why the user is here again, e.g. a revoked token. */
  notice: string | null;
}

export function SignIn({ onSignedIn, notice }: SignInProps) {
  const { localToken } = useMemo(readPageConfig, []);
  const [token, setToken] = useState(localToken ?? '');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const candidate = token.trim();
    if (!candidate) {
      setError('Paste an API token.');
      return;
    }
    setBusy(true);
    try {
      const { me } = await new Api(candidate).request(ViewerDocument, {});
      onSignedIn(candidate, me);
    } catch (thrown) {
      setBusy(false);
      setError(
        thrown instanceof ApiError && thrown.code === 'UNAUTHENTICATED'
          ? 'This token is not accepted: check that it was copied whole and has not been revoked.'
          : errorMessage(thrown),
      );
    }
  }

  return (
    <main id="main" class="sign-in">
      <h1>Stack notifications</h1>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <form class="card" onSubmit={submit} noValidate>
        <TextField
          label="API token"
          type="password"
          value={token}
          onInput={setToken}
          error={error}
          autoFocus
          hint={
            localToken
              ? 'Local mode: this is the token the server printed when it started.'
              : 'A token with the settings:read and settings:write scopes. It is kept in this browser until you sign out.'
          }
        />
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
