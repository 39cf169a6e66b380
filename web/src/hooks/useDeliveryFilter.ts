// The delivery log's filter, kept in the address's query so a link can open the log filtered.
import { useCallback, useEffect, useState } from 'preact/hooks';
import {
  deliveryFilterSearch,
  parseDeliveryFilter,
  type DeliveryFilter,
} from '../components/deliveries/delivery-filter';

export type { DeliveryFilter };

/** The filter in the address bar, and the function that changes both (replacing the history entry). */
export function useDeliveryFilter(stackId: string): [DeliveryFilter, (filter: DeliveryFilter) => void] {
  const [filter, setFilter] = useState<DeliveryFilter>(() => parseDeliveryFilter(location.search));

  // Another stack, or back and forward between addresses: the address says what is shown.
  useEffect(() => {
    const read = () => setFilter(parseDeliveryFilter(location.search));
    read();
    addEventListener('popstate', read);
    return () => removeEventListener('popstate', read);
  }, [stackId]);

  const change = useCallback((next: DeliveryFilter) => {
    history.replaceState(history.state, '', `${location.pathname}${deliveryFilterSearch(next)}`);
    setFilter(next);
  }, []);

  return [filter, change];
}
