import { css, type CSSResult } from 'lit';
import { cardSurface } from './card.styles';

// A menu that a toggle opens (the workspace switcher, the saved views), in parts that each component
// applies to its own class names.

/**
 * The toggle's chevron: a caret pointing down, up while the toggle is expanded (`aria-expanded="true"`).
 * `chevron` selects it inside the toggle; `size` is its width and height.
 */
export const menuChevronStyles = (chevron: CSSResult, size: CSSResult) => css`
  ${chevron} {
    flex: none;
    width: ${size};
    height: ${size};
    margin: 0 0.1rem 0.2rem;
    border: solid var(--_muted);
    border-width: 0 2px 2px 0;
    transform: rotate(45deg);
  }

  [aria-expanded='true'] ${chevron} {
    margin: 0.2rem 0.1rem 0;
    transform: rotate(-135deg);
  }
`;

/**
 * The panel, under the toggle and above the page: declarations for the panel's rule, which sets the
 * side it aligns to, its width and its shadow.
 */
export const menuPanel = css`
  position: absolute;
  top: calc(100% + 0.35rem);
  z-index: 10;
  display: grid;
  gap: 0.75rem;
  padding: 0.75rem;
  ${cardSurface}
`;

/** The panel's heading, in small muted capitals: declarations for its rule. */
export const menuHeading = css`
  margin: 0;
  color: var(--_muted);
  font-size: 0.75rem;
  font-weight: 600;
  letter-spacing: 0.02em;
  text-transform: uppercase;
`;

/** The list of choices, without bullets, scrolling past 16rem: declarations for its rule, which sets the gap. */
export const menuList = css`
  display: grid;
  max-height: 16rem;
  margin: 0;
  padding: 0;
  overflow-y: auto;
  list-style: none;
`;
