import { css } from 'lit';

export default css`
  :host {
    position: fixed;
    z-index: 30;
    inset-inline-end: 1rem;
    bottom: 1rem;
    width: min(24rem, calc(100vw - 2rem));
    /* The empty corner of the screen stays clickable; only the toasts take clicks. */
    pointer-events: none;
    color: var(--_text);
    font-size: 0.875rem;
  }

  .stack {
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .toast {
    display: flex;
    align-items: center;
    gap: 0.6rem;
    min-height: 3rem;
    padding: 0.5rem 0.5rem 0.5rem 0.75rem;
    border: 1px solid var(--_border);
    border-inline-start: 4px solid var(--_toast-color);
    border-radius: var(--_radius);
    background: var(--_surface);
    box-shadow: 0 6px 20px rgb(0 0 0 / 0.18);
    pointer-events: auto;
    animation: toast-in 0.18s ease-out;
    --_toast-color: var(--_accent);
  }

  .toast--success {
    --_toast-color: var(--_success);
  }

  .toast--error {
    --_toast-color: var(--_danger);
  }

  .toast__mark {
    flex: none;
    width: 0.5rem;
    height: 0.5rem;
    border-radius: 50%;
    background: var(--_toast-color);
  }

  .toast__message {
    flex: 1;
    min-width: 0;
    margin: 0;
    overflow-wrap: anywhere;
  }

  button {
    flex: none;
    min-height: 2rem;
    border: 1px solid transparent;
    border-radius: var(--_radius);
    background: transparent;
    color: var(--_text);
    font: inherit;
    cursor: pointer;
  }

  .toast__action {
    padding: 0.2rem 0.7rem;
    border-color: var(--_border);
    color: var(--_accent);
    font-weight: 600;
  }

  .toast__dismiss {
    width: 2rem;
    color: var(--_muted);
    font-size: 1.25rem;
    line-height: 1;
  }

  button:hover:not(:disabled) {
    background: var(--_surface-sunken);
  }

  button:disabled {
    cursor: progress;
    opacity: 0.65;
  }

  @keyframes toast-in {
    from {
      opacity: 0;
      transform: translateY(0.5rem);
    }
  }

  /* Phones: across the top, newest nearest the edge, clear of the bulk bar at the bottom. */
  @media (max-width: 30rem) {
    :host {
      top: 0.5rem;
      bottom: auto;
      inset-inline: 0.5rem;
      width: auto;
    }

    .stack {
      flex-direction: column-reverse;
    }

    @keyframes toast-in {
      from {
        opacity: 0;
        transform: translateY(-0.5rem);
      }
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .toast {
      animation: none;
    }
  }
`;
