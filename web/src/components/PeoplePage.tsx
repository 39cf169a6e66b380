// The account's people: everyone sees who is in it; OWNER and ADMIN add people, change roles and remove people, and
// only an OWNER gives or takes the OWNER role (the API's rules, shown rather than left to fail).
import { useId, useState } from 'preact/hooks';
import { errorMessage } from '../api/errors';
import { formatDateTime } from '../format';
import {
  AddPersonDocument,
  PeopleDocument,
  RemovePersonDocument,
  SetPersonRoleDocument,
  type PersonFragment,
  type Role,
} from '../graphql/generated';
import { canManageStacks, useSession, type Viewer } from '../hooks/session';
import { useFormAction } from '../hooks/useFormAction';
import { useQuery } from '../hooks/useQuery';
import { ConfirmDialog } from './ConfirmDialog';
import { Dialog } from './Dialog';
import { FormError } from './FormError';
import { TextField } from './TextField';

const ROLES: readonly Role[] = ['OWNER', 'ADMIN', 'MEMBER'];

export const ROLE_LABELS: Record<Role, string> = { OWNER: 'Owner', ADMIN: 'Admin', MEMBER: 'Member' };

/** The roles the viewer may give. */
function grantableRoles(viewer: Viewer): readonly Role[] {
  return viewer.role === 'OWNER' ? ROLES : ROLES.filter((role) => role !== 'OWNER');
}

/** Whether the viewer may change this person's role or remove them. */
function mayChange(viewer: Viewer, person: PersonFragment): boolean {
  if (!canManageStacks(viewer)) return false;
  return person.role !== 'OWNER' || viewer.role === 'OWNER';
}

export function PeoplePage() {
  const { api, viewer } = useSession();
  const people = useQuery(PeopleDocument, {});
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<PersonFragment | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const headingId = useId();
  const account = people.data?.me.account;

  function replace(person: PersonFragment) {
    people.update((data) => ({
      me: {
        ...data.me,
        account: {
          ...data.me.account,
          users: data.me.account.users.map((user) => (user.id === person.id ? person : user)),
        },
      },
    }));
  }

  async function changeRole(person: PersonFragment, role: Role) {
    setError(null);
    setStatus('');
    try {
      const { setUserRole } = await api.request(SetPersonRoleDocument, { userId: person.id, role });
      replace(setUserRole);
      setStatus(`${setUserRole.name} is now ${ROLE_LABELS[setUserRole.role]}.`);
    } catch (thrown) {
      // The select shows the role the server has again.
      replace({ ...person });
      setError(`${person.name} is still ${ROLE_LABELS[person.role]}: ${errorMessage(thrown)}`);
    }
  }

  async function remove(person: PersonFragment) {
    await api.request(RemovePersonDocument, { userId: person.id });
    people.update((data) => ({
      me: {
        ...data.me,
        account: { ...data.me.account, users: data.me.account.users.filter((user) => user.id !== person.id) },
      },
    }));
    setRemoving(null);
    setStatus(`${person.name} was removed.`);
  }

  function added(person: PersonFragment) {
    setAdding(false);
    people.update((data) => ({
      me: { ...data.me, account: { ...data.me.account, users: [...data.me.account.users, person] } },
    }));
    setStatus(`${person.name} was added as ${ROLE_LABELS[person.role]}.`);
  }

  return (
    <section class="account-page" aria-labelledby={headingId}>
      <div class="section-header">
        <h1 id={headingId}>People{account && <span class="environment"> in {account.name}</span>}</h1>
        {canManageStacks(viewer) && (
          <button type="button" class="button-primary" onClick={() => setAdding(true)}>
            Add person
          </button>
        )}
      </div>
      {!canManageStacks(viewer) && <p class="hint">An owner or admin adds people and changes their roles.</p>}
      <FormError message={people.error?.message ?? error} />
      <p class="saved-note" role="status">
        {status}
      </p>
      {people.loading && !account && <p class="hint">Loading people…</p>}
      {account && (
        <ul class="rows">
          {account.users.map((person) => (
            <li key={person.id} class="row card">
              <div class="row-main">
                <p class="row-title">
                  {person.name}
                  {person.id === viewer.id && <span class="badge">you</span>}
                </p>
                <p class="muted">
                  {person.email} · added {formatDateTime(person.createdAt)}
                </p>
              </div>
              <div class="row-actions">
                {mayChange(viewer, person) ? (
                  <>
                    <label class="visually-hidden" for={`role-${person.id}`}>
                      Role of {person.name}
                    </label>
                    <select
                      id={`role-${person.id}`}
                      value={person.role}
                      onChange={(event) => void changeRole(person, event.currentTarget.value as Role)}
                    >
                      {(person.role === 'OWNER' ? ROLES : grantableRoles(viewer)).map((role) => (
                        <option key={role} value={role}>
                          {ROLE_LABELS[role]}
                        </option>
                      ))}
                    </select>
                    {person.id !== viewer.id && (
                      <button type="button" class="button-quiet" onClick={() => setRemoving(person)}>
                        Remove<span class="visually-hidden"> {person.name}</span>
                      </button>
                    )}
                  </>
                ) : (
                  <span class="role">{ROLE_LABELS[person.role]}</span>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {adding && <AddPersonDialog viewer={viewer} onClose={() => setAdding(false)} onAdded={added} />}
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.name}?`}
          confirmLabel={`Remove ${removing.name}`}
          onConfirm={() => remove(removing)}
          onClose={() => setRemoving(null)}
        >
          <p>
            {removing.name} ({removing.email}) loses access at once: their API tokens stop working and their
            own channels (email, iOS devices, browsers) are removed.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

interface AddPersonDialogProps {
  viewer: Viewer;
  onClose: () => void;
  onAdded: (person: PersonFragment) => void;
}

function AddPersonDialog({ viewer, onClose, onAdded }: AddPersonDialogProps) {
  const { api } = useSession();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('MEMBER');
  const form = useFormAction(['input.name', 'input.email', 'input.role']);
  const roleId = useId();

  function submit(event: Event) {
    event.preventDefault();
    void form.run(async () => {
      const { addUser } = await api.request(AddPersonDocument, { input: { name, email, role } });
      onAdded(addUser);
    });
  }

  return (
    <Dialog title="Add a person" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <TextField label="Name" value={name} onInput={setName} error={form.fields['input.name']} autoFocus />
        <TextField label="Email" value={email} onInput={setEmail} error={form.fields['input.email']} />
        <div class="field">
          <label for={roleId}>Role</label>
          <select id={roleId} value={role} onChange={(event) => setRole(event.currentTarget.value as Role)}>
            {grantableRoles(viewer).map((each) => (
              <option key={each} value={each}>
                {ROLE_LABELS[each]}
              </option>
            ))}
          </select>
          <p class="hint">Admins manage stacks, shared channels and people; members their own channels.</p>
        </div>
        <FormError message={form.error} />
        <div class="actions">
          <button type="submit" class="button-primary" disabled={form.busy}>
            Add person
          </button>
        </div>
      </form>
    </Dialog>
  );
}
