// A per-process clock that never returns the same millisecond twice, so rows created in one process sort in the
// order they were created even when several land within one millisecond (history pages by created_at, id).
let last = 0;

export function monotonicNow(): Date {
  const now = Date.now();
  last = now > last ? now : last + 1;
  return new Date(last);
}
