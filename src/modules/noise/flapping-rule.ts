// When a subject of a stack (a server, a job...) flaps: how many opens of its incidents in how long, and how long it
// must stay quiet to settle. Shared by the environment's defaults (src/env-schema.ts) and the per-stack settings.

export interface FlappingRule {
  /** A subject flaps once its incidents open more than this many times within `windowMinutes`. */
  threshold: number;
  /** The window opens are counted in, and the length of each window a flapping subject is summarised for. */
  windowMinutes: number;
  /** A flapping subject settles after this long without a transition; at least `windowMinutes`. */
  settleMinutes: number;
}

export const FLAP_THRESHOLD = { min: 1, max: 100 };
export const FLAP_WINDOW_MINUTES = { min: 1, max: 24 * 60 };
export const FLAP_SETTLE_MINUTES = { min: 1, max: 24 * 60 };

/** Why `rule` is not acceptable, as [field, message], or null when it is. */
export function flappingRuleProblem(rule: FlappingRule): [keyof FlappingRule, string] | null {
  const ranges: [keyof FlappingRule, { min: number; max: number }, string][] = [
    ['threshold', FLAP_THRESHOLD, ''],
    ['windowMinutes', FLAP_WINDOW_MINUTES, ' minutes'],
    ['settleMinutes', FLAP_SETTLE_MINUTES, ' minutes'],
  ];
  for (const [field, range, unit] of ranges) {
    const value = rule[field];
    if (!Number.isInteger(value) || value < range.min || value > range.max) {
      return [field, `must be a whole number from ${range.min} to ${range.max}${unit}`];
    }
  }
  // The last window's summary then always goes out before the message that the subject settled.
  if (rule.settleMinutes < rule.windowMinutes) {
    return ['settleMinutes', 'must be at least windowMinutes, so the last summary comes before "settled"'];
  }
  return null;
}
