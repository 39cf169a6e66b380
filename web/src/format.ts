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
