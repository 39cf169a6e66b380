// The current route, from the address bar, and navigation without reloading the page.
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useState } from 'preact/hooks';
import { parseRoute, routePath, type Route } from '../routes';

export interface Navigation {
  route: Route;
  navigate: (route: Route, options?: { replace?: boolean }) => void;
}

export function useRoute(): Navigation {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.pathname, location.search));

  useEffect(() => {
    const onPopState = () => setRoute(parseRoute(location.pathname, location.search));
    addEventListener('popstate', onPopState);
    return () => removeEventListener('popstate', onPopState);
  }, []);

  const navigate = useCallback((next: Route, options: { replace?: boolean } = {}) => {
    const path = routePath(next);
    if (path !== location.pathname + location.search) {
      if (options.replace) history.replaceState(null, '', path);
      else history.pushState(null, '', path);
    }
    setRoute(next);
  }, []);

  return { route, navigate };
}

export const NavigationContext = createContext<Navigation | null>(null);

export function useNavigation(): Navigation {
  const navigation = useContext(NavigationContext);
  if (!navigation) throw new Error('useNavigation needs a NavigationContext');
  return navigation;
}
