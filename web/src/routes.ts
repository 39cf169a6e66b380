// The page's addresses. The server serves the page at each of them (src/web.ts); links in emails use the first.

export type StackView = 'notifications' | 'deliveries';

export type Route = { name: 'home' } | { name: 'stack'; stackId: string; view: StackView };

export function stackPath(stackId: string, view: StackView = 'notifications'): string {
  return `/stacks/${encodeURIComponent(stackId)}/${view}`;
}

export function routePath(route: Route): string {
  return route.name === 'home' ? '/' : stackPath(route.stackId, route.view);
}

export function parseRoute(pathname: string): Route {
  const match = /^\/stacks\/([^/]+)\/(notifications|deliveries)\/?$/.exec(pathname);
  if (!match) return { name: 'home' };
  return { name: 'stack', stackId: decodeURIComponent(match[1]), view: match[2] as StackView };
}
