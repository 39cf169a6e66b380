// The page's addresses. The server serves the page at each of them (src/web.ts); links in emails use the stack's.

export type StackView = 'notifications' | 'deliveries' | 'noise';

/** The account's pages, each at /<name>. */
export type AccountPage = 'people' | 'tokens' | 'devices' | 'quiet-hours';

export type Route =
  | { name: 'home' }
  /** channelId: the deliveries of one shared channel (the view's filter). */
  | { name: 'stack'; stackId: string; view: StackView; channelId?: string }
  | { name: AccountPage };

const ACCOUNT_PAGES: readonly AccountPage[] = ['people', 'tokens', 'devices', 'quiet-hours'];

export function stackPath(stackId: string, view: StackView = 'notifications', channelId?: string): string {
  const path = `/stacks/${encodeURIComponent(stackId)}/${view}`;
  return channelId ? `${path}?channelId=${encodeURIComponent(channelId)}` : path;
}

export function routePath(route: Route): string {
  switch (route.name) {
    case 'home':
      return '/';
    case 'stack':
      return stackPath(route.stackId, route.view, route.channelId);
    default:
      return `/${route.name}`;
  }
}

export function parseRoute(pathname: string, search = ''): Route {
  const page = /^\/([a-z-]+)\/?$/.exec(pathname)?.[1];
  const accountPage = ACCOUNT_PAGES.find((name) => name === page);
  if (accountPage) return { name: accountPage };
  const match = /^\/stacks\/([^/]+)\/(notifications|deliveries|noise)\/?$/.exec(pathname);
  if (!match) return { name: 'home' };
  const route: Route = { name: 'stack', stackId: decodeURIComponent(match[1]), view: match[2] as StackView };
  const channelId = new URLSearchParams(search).get('channelId');
  return channelId && route.view === 'deliveries' ? { ...route, channelId } : route;
}
