// The viewer's API tokens: what each may do and when it was last used; a new one (its secret shown this once, with
// a copy button) and revoking one.
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { formatDateTime } from '../format';
import {
  CreateTokenDocument,
  MyTokensDocument,
  RevokeTokenDocument,
  type Scope,
  type TokenRowFragment,
} from '../graphql/generated';
import { useSession } from '../hooks/session';
import { useFormAction } from '../hooks/useFormAction';
import { useQuery } from '../hooks/useQuery';
import { storedToken } from '../storage';
import { ConfirmDialog } from './ConfirmDialog';
import { Dialog } from './Dialog';
import { FormError } from './FormError';
import { TextField } from './TextField';

const SCOPES: readonly { scope: Scope; label: string; wire: string }[] = [
  { scope: 'SETTINGS_READ', label: 'Read settings and notifications', wire: 'settings:read' },
  { scope: 'SETTINGS_WRITE', label: 'Change settings', wire: 'settings:write' },
  { scope: 'EVENTS_PUBLISH', label: 'Publish events', wire: 'events:publish' },
];

/** A token's scopes by their wire names, in the order of the form. */
function scopesText(scopes: readonly Scope[]): string {
  return SCOPES.filter((each) => scopes.includes(each.scope))
    .map((each) => each.wire)
    .join(', ');
}

export function TokensPage() {
  const { api } = useSession();
  const tokens = useQuery(MyTokensDocument, {});
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<TokenRowFragment | null>(null);
  const [status, setStatus] = useState('');
  const headingId = useId();
  const list = tokens.data?.me.apiTokens ?? [];
  const signedInWith = storedToken();
  const isThisBrowsers = (token: TokenRowFragment) => !!signedInWith?.startsWith(token.tokenPrefix);

  function replace(token: TokenRowFragment) {
    tokens.update((data) => ({
      me: {
        ...data.me,
        apiTokens: [token, ...data.me.apiTokens.filter((each) => each.id !== token.id)],
      },
    }));
  }

  async function revoke(token: TokenRowFragment) {
    const { revokeApiToken } = await api.request(RevokeTokenDocument, { id: token.id });
    replace(revokeApiToken);
    setRevoking(null);
    setStatus(`${token.name} was revoked.`);
  }

  const active = list.filter((token) => !token.revokedAt);
  const revoked = list.filter((token) => token.revokedAt);

  return (
    <section class="account-page" aria-labelledby={headingId}>
      <div class="section-header">
        <h1 id={headingId}>API tokens</h1>
        <button type="button" class="button-primary" onClick={() => setCreating(true)}>
          New token
        </button>
      </div>
      <p class="hint">
        Tokens let deploy scripts and monitors publish events, and people sign in here. A new token may do at
        most what the one this browser signed in with may do.
      </p>
      <FormError message={tokens.error?.message ?? null} />
      <p class="saved-note" role="status">
        {status}
      </p>
      {tokens.loading && !tokens.data && <p class="hint">Loading tokens…</p>}
      {tokens.data && active.length === 0 && <p class="hint">No active tokens.</p>}
      <ul class="rows">
        {[...active, ...revoked].map((token) => (
          <li key={token.id} class={token.revokedAt ? 'row card is-revoked' : 'row card'}>
            <div class="row-main">
              <p class="row-title">
                {token.name}
                {isThisBrowsers(token) && <span class="badge">this browser</span>}
                {token.revokedAt && <span class="badge badge-muted">revoked</span>}
              </p>
              <p class="muted">
                <code>{token.tokenPrefix}…</code> · {scopesText(token.scopes)}
              </p>
              <p class="muted">
                Created {formatDateTime(token.createdAt)} ·{' '}
                {token.lastUsedAt ? `last used ${formatDateTime(token.lastUsedAt)}` : 'never used'}
                {token.revokedAt && ` · revoked ${formatDateTime(token.revokedAt)}`}
              </p>
            </div>
            {!token.revokedAt && (
              <div class="row-actions">
                <button type="button" class="button-quiet" onClick={() => setRevoking(token)}>
                  Revoke<span class="visually-hidden"> {token.name}</span>
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {creating && (
        <CreateTokenDialog
          onCreated={(token) => {
            replace(token);
            setStatus(`${token.name} was created.`);
          }}
          onClose={() => setCreating(false)}
        />
      )}
      {revoking && (
        <ConfirmDialog
          title={`Revoke ${revoking.name}?`}
          confirmLabel="Revoke token"
          onConfirm={() => revoke(revoking)}
          onClose={() => setRevoking(null)}
        >
          <p>Whatever uses it stops working at once; this cannot be undone.</p>
          {isThisBrowsers(revoking) && (
            <p class="notice">This browser signed in with it: you will be signed out.</p>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}

interface CreateTokenDialogProps {
  onCreated: (token: TokenRowFragment) => void;
  onClose: () => void;
}

function CreateTokenDialog({ onCreated, onClose }: CreateTokenDialogProps) {
  const { api } = useSession();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ReadonlySet<Scope>>(new Set(['EVENTS_PUBLISH']));
  const [secret, setSecret] = useState<string | null>(null);
  const form = useFormAction(['input.name', 'input.scopes']);
  const scopesHint = useId();

  function toggle(scope: Scope, on: boolean) {
    const next = new Set(scopes);
    if (on) next.add(scope);
    else next.delete(scope);
    setScopes(next);
  }

  function submit(event: Event) {
    event.preventDefault();
    void form.run(async () => {
      const { createApiToken } = await api.request(CreateTokenDocument, {
        input: { name, scopes: SCOPES.map((each) => each.scope).filter((scope) => scopes.has(scope)) },
      });
      onCreated(createApiToken.token);
      setSecret(createApiToken.secret);
    });
  }

  return (
    <Dialog title={secret ? 'Your new token' : 'New API token'} onClose={onClose}>
      {secret ? (
        <SecretOnce secret={secret} onDone={onClose} />
      ) : (
        <form onSubmit={submit} noValidate>
          <TextField
            label="Name"
            value={name}
            onInput={setName}
            error={form.fields['input.name']}
            hint='What it is for, e.g. "deployer".'
            autoFocus
          />
          <fieldset class="field scopes" aria-describedby={scopesHint}>
            <legend>It may</legend>
            {SCOPES.map(({ scope, label, wire }) => (
              <label key={scope} class="checkbox">
                <input
                  type="checkbox"
                  checked={scopes.has(scope)}
                  onChange={(event) => toggle(scope, event.currentTarget.checked)}
                />
                {label} <code>{wire}</code>
              </label>
            ))}
            <p id={scopesHint} class="hint">
              A deploy script needs only Publish events.
            </p>
            {form.fields['input.scopes'] && <p class="field-error">{form.fields['input.scopes']}</p>}
          </fieldset>
          <FormError message={form.error} />
          <div class="actions">
            <button type="submit" class="button-primary" disabled={form.busy}>
              Create token
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  // The form it replaces had the focus.
  useEffect(() => input.current?.focus(), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('Copied to the clipboard.');
    } catch {
      // No clipboard access (permissions, an insecure origin): the text is selected for Ctrl+C instead.
      input.current?.select();
      setCopied('Selected: press Ctrl+C (⌘C) to copy it.');
    }
  }

  return (
    <div>
      <p class="notice">Copy it now: it is shown only this once.</p>
      <div class="field">
        <label for={id}>Token</label>
        <div class="secret-row">
          <input
            ref={input}
            id={id}
            type="text"
            readOnly
            value={secret}
            spellcheck={false}
            onFocus={(event) => event.currentTarget.select()}
          />
          <button type="button" class="button-primary" onClick={() => void copy()}>
            Copy
          </button>
        </div>
        <p class="saved-note" role="status">
          {copied}
        </p>
      </div>
      <div class="actions">
        <button type="button" class="button-quiet" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
