// An in-page link: a real <a href> (so it can be opened in a new tab) that navigates without a reload.
import type { ComponentChildren } from 'preact';
import { useNavigation } from '../hooks/useRoute';
import { routePath, type Route } from '../routes';

export interface LinkProps {
  to: Route;
  current?: boolean;
  class?: string;
  children: ComponentChildren;
}

export function Link({ to, current, class: className, children }: LinkProps) {
  const { navigate } = useNavigation();
  return (
    <a
      href={routePath(to)}
      class={className}
      aria-current={current ? 'page' : undefined}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
