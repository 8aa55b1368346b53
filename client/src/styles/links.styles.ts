import { css } from 'lit';

/**
 * Links in the console's text: the accent colour, the underline a little below the letters, and a
 * focus ring with rounded corners. Include after `themeStyles`.
 */
export const linkStyles = css`
  a {
    color: var(--_accent);
    text-underline-offset: 0.2em;
  }

  a:focus-visible {
    border-radius: 2px;
  }
`;
