/** A short message for the console's toasts (see `fd-toasts`). */
export interface ToastRequest {
  message: string;
  /** `error` for failures; `success` for one's own actions that worked; `info` for news (someone else's action). */
  tone?: 'info' | 'success' | 'error';
  /** One action the toast offers, e.g. Undo; the toast closes when it is taken. */
  action?: { label: string; run: () => void | Promise<void> };
  /** How long the toast shows before it hides (paused while pointed at or focused). */
  durationMs?: number;
}

/** Asks the console to show a toast. Bubbles and crosses shadow roots up to `fd-app`, which shows it. */
export type FdToastEvent = CustomEvent<ToastRequest>;

export const FD_TOAST = 'fd-toast';

export function toastEvent(request: ToastRequest): FdToastEvent {
  return new CustomEvent(FD_TOAST, { detail: request, bubbles: true, composed: true });
}

declare global {
  interface GlobalEventHandlersEventMap {
    'fd-toast': FdToastEvent;
  }
}
