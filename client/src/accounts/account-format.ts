/** A date as the settings pages show it: `12 Mar 2026`; the text itself when it is not a date. */
export function formatDay(iso: string, locale?: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' }).format(time);
}

/** A moment in full, for tooltips: `12 Mar 2026, 14:05`. */
export function formatMoment(iso: string, locale?: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(time);
}

/** Who created an API key, in words; empty for keys Flightdeck made itself at start-up. */
export function describeCreator(createdBy: { type: 'user' | 'apiKey'; name: string } | null): string {
  if (!createdBy) return '';
  return createdBy.type === 'apiKey' ? `API key “${createdBy.name}”` : createdBy.name;
}
