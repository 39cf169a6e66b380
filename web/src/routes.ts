// The page's addresses. The server serves the page at each of them (src/web.ts); links in emails use the stack's.

export type StackView = 'notifications' | 'deliveries' | 'noise';

/** The account's pages, each at /<name>. */
export type AccountPage = 'people' | 'tokens' | 'devices' | 'quiet-hours';

export type Route =
  { name: 'home' } | { name: 'stack'; stackId: string; view: StackView } | { name: AccountPage };

const ACCOUNT_PAGES: readonly AccountPage[] = ['people', 'tokens', 'devices', 'quiet-hours'];

export function stackPath(stackId: string, view: StackView = 'notifications'): string {
  return `/stacks/${encodeURIComponent(stackId)}/${view}`;
}

export function routePath(route: Route): string {
  switch (route.name) {
    case 'home':
      return '/';
    case 'stack':
      return stackPath(route.stackId, route.view);
    default:
      return `/${route.name}`;
  }
}

export function parseRoute(pathname: string): Route {
  const page = /^\/([a-z-]+)\/?$/.exec(pathname)?.[1];
  const accountPage = ACCOUNT_PAGES.find((name) => name === page);
  if (accountPage) return { name: accountPage };
  const match = /^\/stacks\/([^/]+)\/(notifications|deliveries|noise)\/?$/.exec(pathname);
  if (!match) return { name: 'home' };
  return { name: 'stack', stackId: decodeURIComponent(match[1]), view: match[2] as StackView };
}
