/** How long ago something happened, short and stable in width: `4s`, `3m 05s`, `2h 07m`, `3d 4h`. */
export function formatAge(elapsedMs: number): string {
  const seconds = Math.max(0, Math.floor(elapsedMs / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${pad(seconds % 60)}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${pad(minutes % 60)}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** The same age in words, for assistive technology and tooltips: `4 seconds ago`. */
export function describeAge(elapsedMs: number): string {
  const seconds = Math.max(0, Math.floor(elapsedMs / 1000));
  const [value, unit] =
    seconds < 60
      ? [seconds, 'second']
      : seconds < 3600
        ? [Math.floor(seconds / 60), 'minute']
        : seconds < 86_400
          ? [Math.floor(seconds / 3600), 'hour']
          : [Math.floor(seconds / 86_400), 'day'];
  return `${value} ${unit}${value === 1 ? '' : 's'} ago`;
}

/** The end of a job id, enough to tell jobs apart at a glance (ULIDs share their time prefix, not their end). */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(-8) : id;
}

/** Progress as a whole percentage, 0–100. */
export function progressPercent(progress: number): number {
  return Number.isFinite(progress) ? Math.min(100, Math.max(0, Math.round(progress))) : 0;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
