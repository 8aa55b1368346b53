import { css } from 'lit';

/**
 * A pill: a short label (a role, "API key") in a rounded outline, smaller and quieter than the text
 * around it. Declarations, not a stylesheet: use them inside the rule of the element, which sets its
 * own padding and line height.
 */
export const pillLook = css`
  border: 1px solid var(--_border);
  border-radius: 999px;
  color: var(--_muted);
  font-size: 0.75rem;
  font-weight: 500;
`;
