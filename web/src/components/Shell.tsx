// The signed-in page: the header with the stack picker, the account's pages and sign-out; the connection banner; and
// the current route's content.
import { useEffect, useState } from 'preact/hooks';
import { StacksDocument, type StacksQuery } from '../graphql/generated';
import { canManageStacks, useSession } from '../hooks/session';
import { useBrowserAlerts } from '../hooks/useBrowserAlerts';
import { useQuery } from '../hooks/useQuery';
import { NavigationContext, useRoute } from '../hooks/useRoute';
import type { AccountPage, Route, StackView } from '../routes';
import { ConnectionBanner } from './ConnectionBanner';
import { CreateStackDialog } from './CreateStackDialog';
import { DevicesPage } from './DevicesPage';
import { INBOX_ID } from './Inbox';
import { Link } from './Link';
import { PeoplePage } from './PeoplePage';
import { QuietHoursPage } from './QuietHoursPage';
import { StackPage } from './StackPage';
import { StackPicker } from './StackPicker';
import { TokensPage } from './TokensPage';

export type StackSummary = StacksQuery['stacks']['nodes'][number];

const ACCOUNT_LINKS: readonly { route: Route & { name: AccountPage }; label: string }[] = [
  { route: { name: 'people' }, label: 'People' },
  { route: { name: 'tokens' }, label: 'API tokens' },
  { route: { name: 'devices' }, label: 'Devices' },
  { route: { name: 'quiet-hours' }, label: 'Quiet hours' },
];

const STACK_VIEW_TITLES: Record<StackView, string> = {
  notifications: 'Notification settings',
  deliveries: 'Deliveries',
  noise: 'Noise control',
};

export function Shell() {
  const { viewer, signOut } = useSession();
  const navigation = useRoute();
  const { route, navigate } = navigation;
  const stacks = useQuery(StacksDocument, {});
  const alerts = useBrowserAlerts();
  const [creating, setCreating] = useState(false);
  const list = stacks.data?.stacks.nodes ?? [];
  const first = list[0];

  // "/" opens the newest stack.
  useEffect(() => {
    if (route.name === 'home' && first) {
      navigate({ name: 'stack', stackId: first.id, view: 'notifications' }, { replace: true });
    }
  }, [route, first, navigate]);

  // Each view has a title of its own: the tab, the history and screen readers say where the person is.
  const stackName =
    route.name === 'stack' ? list.find((stack) => stack.id === route.stackId)?.name : undefined;
  const pageName =
    ACCOUNT_LINKS.find((link) => link.route.name === route.name)?.label ??
    (route.name === 'stack' && stackName ? `${stackName}: ${STACK_VIEW_TITLES[route.view]}` : null);
  useEffect(() => {
    document.title = pageName ? `${pageName} · Stack notifications` : 'Stack notifications';
  }, [pageName]);

  async function signOutHere() {
    // Pushes for this user must stop coming to a browser they signed out of.
    if (alerts.on) await alerts.turnOff();
    signOut();
  }

  function created(stack: StackSummary) {
    setCreating(false);
    stacks.update((data) => ({ stacks: { ...data.stacks, nodes: [stack, ...data.stacks.nodes] } }));
    navigate({ name: 'stack', stackId: stack.id, view: 'notifications' });
  }

  return (
    <NavigationContext.Provider value={navigation}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      {route.name === 'stack' && (
        <a class="skip-link" href={`#${INBOX_ID}`}>
          Skip to notifications
        </a>
      )}
      <header class="app-header">
        <a class="brand" href="/">
          Stack notifications
        </a>
        <StackPicker
          stacks={list}
          currentId={route.name === 'stack' ? route.stackId : null}
          onSelect={(stackId) =>
            navigate({ name: 'stack', stackId, view: route.name === 'stack' ? route.view : 'notifications' })
          }
          onCreate={canManageStacks(viewer) ? () => setCreating(true) : null}
        />
        <nav class="account-nav" aria-label="Account">
          {ACCOUNT_LINKS.map(({ route: to, label }) => (
            <Link key={to.name} to={to} current={route.name === to.name}>
              {label}
            </Link>
          ))}
        </nav>
        <div class="account">
          <span class="account-name" title={viewer.account.name}>
            {viewer.email}
          </span>
          <button type="button" class="button-quiet" onClick={signOutHere}>
            Sign out
          </button>
        </div>
      </header>
      <ConnectionBanner />
      <main id="main">
        {route.name === 'people' ? (
          <PeoplePage />
        ) : route.name === 'tokens' ? (
          <TokensPage />
        ) : route.name === 'devices' ? (
          <DevicesPage />
        ) : route.name === 'quiet-hours' ? (
          <QuietHoursPage />
        ) : route.name === 'stack' ? (
          <StackPage key={route.stackId} stackId={route.stackId} view={route.view} alerts={alerts} />
        ) : (
          <section class="empty card">
            {stacks.loading && <p>Loading stacks…</p>}
            {stacks.error && <p role="alert">{stacks.error.message}</p>}
            {!stacks.loading && !stacks.error && list.length === 0 && (
              <>
                <h1>No stacks yet</h1>
                {canManageStacks(viewer) ? (
                  <button type="button" class="button-primary" onClick={() => setCreating(true)}>
                    Create a stack
                  </button>
                ) : (
                  <p>An owner or admin of {viewer.account.name} creates stacks.</p>
                )}
              </>
            )}
          </section>
        )}
      </main>
      {creating && <CreateStackDialog onClose={() => setCreating(false)} onCreated={created} />}
    </NavigationContext.Provider>
  );
}
