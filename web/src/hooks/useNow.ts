// The time now, renewed every interval: relative times ("5 minutes ago") stay true while the page is open.
import { useEffect, useState } from 'preact/hooks';

export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
