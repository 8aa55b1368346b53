/**
 * What an avatar shows of a person: initials, and a colour picked from their id (so the same person
 * has the same colour everywhere and on everyone's screen). Pure, so tested without a browser.
 */

/**
 * Background colours for avatars; white initials on each have a contrast of at least 4.5:1 (WCAG
 * AA for small text), in light and dark themes alike.
 */
export const AVATAR_COLORS = [
  '#0550ae',
  '#116329',
  '#953800',
  '#8250df',
  '#bf3989',
  '#1b7c83',
  '#9a6700',
  '#cf222e',
] as const;

/** Up to two initials: first and last word ("Ada Lovelace" → "AL"), or the first letter of one word. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0];
  if (!first) return '?';
  const last = words.length > 1 ? words[words.length - 1]! : '';
  return (firstLetter(first) + (last ? firstLetter(last) : '')).toUpperCase();
}

/** The avatar colour of a person id (a stable hash, not random). */
export function avatarColorOf(id: string): string {
  let hash = 0;
  for (let index = 0; index < id.length; index++) hash = (Math.imul(hash, 31) + id.charCodeAt(index)) | 0;
  return AVATAR_COLORS[Math.abs(hash) % AVATAR_COLORS.length]!;
}

/** "Ada Lovelace", "Ada Lovelace and Bob Builder", "Ada Lovelace, Bob Builder and Cy Young". */
export function listOfNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** A letter as a person reads it (a surrogate pair or combined character stays whole). */
function firstLetter(word: string): string {
  return Array.from(word)[0] ?? '';
}
