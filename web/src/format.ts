// Dates and durations as the page shows them, in the reader's locale.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateTimeSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

function formatWith(format: Intl.DateTimeFormat, iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : format.format(date);
}

export const formatDateTime = (iso: string): string => formatWith(dateTime, iso);

/** With seconds, for delivery attempts a few seconds apart. */
export const formatDateTimePrecise = (iso: string): string => formatWith(dateTimeSeconds, iso);

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "just now", "5 minutes ago", "3 hours ago", "yesterday"; the date itself after a week. */
export function formatRelative(iso: string, now: number): string {
  const at = new Date(iso).getTime();
  if (Number.isNaN(at)) return iso;
  const seconds = Math.round((at - now) / 1000);
  const magnitude = Math.abs(seconds);
  if (magnitude < 45) return 'just now';
  if (magnitude < 45 * 60) return relative.format(Math.round(seconds / 60), 'minute');
  if (magnitude < 22 * 3600) return relative.format(Math.round(seconds / 3600), 'hour');
  if (magnitude < 7 * 86400) return relative.format(Math.round(seconds / 86400), 'day');
  return formatDateTime(iso);
}

/** A length of time in words: "40 s", "14 min", "2 h 5 min", "3 d 4 h". */
export function formatElapsed(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

const ACRONYMS = new Set(['id', 'url', 'ip', 'api', 'http', 'ssl', 'tls', 'dns', 'cpu', 'os']);

/** An event's data key as words: lastHeartbeat and last_heartbeat read "Last heartbeat", serverIp "Server IP". */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .map((word) => (ACRONYMS.has(word.toLowerCase()) ? word.toUpperCase() : word.toLowerCase()));
  if (words.length === 0) return key;
  const [first, ...rest] = words;
  return [first.charAt(0).toUpperCase() + first.slice(1), ...rest].join(' ');
}

/** Whether a value is an ISO 8601 date-time, to show it as one. */
export function isDateTime(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) && !Number.isNaN(new Date(value).getTime());
}
