import { css } from 'lit';

export default css`
  :host {
    display: inline-flex;
    --_state-color: var(--_status-queued);
  }

  :host([state='live']) {
    --_state-color: var(--_success);
  }
  :host([state='reconnecting']),
  :host([state='connecting']) {
    --_state-color: var(--_status-delayed);
  }
  :host([state='offline']) {
    --_state-color: var(--_danger);
  }

  .indicator {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    padding: 0.2rem 0.65rem;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_surface);
    color: var(--_text);
    font-size: 0.8125rem;
    line-height: 1.4;
    white-space: nowrap;
  }

  .indicator__dot {
    flex: none;
    width: 0.55rem;
    height: 0.55rem;
    border-radius: 50%;
    background: var(--_state-color);
  }

  :host([state='offline']) .indicator__dot {
    background: transparent;
    box-shadow: inset 0 0 0 2px var(--_state-color);
  }

  :host([state='connecting']) .indicator__dot,
  :host([state='reconnecting']) .indicator__dot {
    animation: pulse 1.2s ease-in-out infinite;
  }

  @keyframes pulse {
    50% {
      opacity: 0.25;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .indicator__dot {
      animation: none !important;
    }
  }
`;
