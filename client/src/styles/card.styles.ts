import { css } from 'lit';

/**
 * The console's card: a raised surface with a hairline border and rounded corners, as panels, the
 * filter bars, menus, the dialog and the charts show it. Declarations, not a stylesheet: use them
 * inside a rule, where the three lines would stand (`.panel { padding: 1.25rem; ${cardSurface} }`).
 */
export const cardSurface = css`
  border: 1px solid var(--_border);
  border-radius: 0.5rem;
  background: var(--_surface);
`;
