import { LitElement, html, nothing, type CSSResultGroup } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ToastRequest } from '../../events/fd-toast';
import { themeStyles } from '../../styles/theme.styles';
import styles from './fd-toasts.styles';

type Tone = NonNullable<ToastRequest['tone']>;

interface Toast {
  id: number;
  message: string;
  tone: Tone;
  action: ToastRequest['action'];
  /** Time left before it hides, as of the last pause or resume. */
  remaining: number;
  /** When its timer last started; null while paused. */
  startedAt: number | null;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Its action is running (the button is busy). */
  busy: boolean;
}

/** How long toasts show by default: errors and toasts with an action (Undo) longer. */
export const TOAST_DURATION_MS = 6_000;
export const TOAST_LONG_DURATION_MS = 10_000;

/**
 * The console's toasts, in one place: short messages about what others did, the results of one's
 * own actions (with Undo), and errors. They stack (newest nearest the screen's edge), hide by
 * themselves (the timers wait while the pointer or focus is on them), and each can be dismissed.
 * The list is a polite live region, so screen readers read each new toast without interrupting.
 * Bottom right on wide screens; on phones at the top, clear of the bulk bar at the bottom.
 *
 * Components ask for a toast with the `fd-toast` event (see events/fd-toast.ts); `fd-app` shows it here.
 *
 * @csspart toast - Each toast.
 */
@customElement('fd-toasts')
export class FdToasts extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, styles];

  /** How many toasts show at most; the oldest goes first. */
  @property({ type: Number }) max = 4;

  @state() private toasts: Toast[] = [];

  private nextId = 1;
  private paused = false;

  /** Shows a toast; returns its id (for {@link dismiss}). */
  show(request: ToastRequest): number {
    const tone = request.tone ?? 'info';
    const duration =
      request.durationMs ?? (tone === 'error' || request.action ? TOAST_LONG_DURATION_MS : TOAST_DURATION_MS);
    const toast: Toast = {
      id: this.nextId++,
      message: request.message,
      tone,
      action: request.action,
      remaining: duration,
      startedAt: null,
      timer: undefined,
      busy: false,
    };
    const all = [...this.toasts, toast];
    const overflow = Math.max(0, all.length - Math.max(1, this.max));
    for (const old of all.slice(0, overflow)) clearTimeout(old.timer);
    this.toasts = all.slice(overflow);
    if (!this.paused) this.startTimer(toast);
    return toast.id;
  }

  /** Hides a toast now. */
  dismiss(id: number): void {
    const toast = this.toasts.find((entry) => entry.id === id);
    if (!toast) return;
    clearTimeout(toast.timer);
    // Focus on a toast that goes would fall to the page's start: keep it nearby.
    const hadFocus = Boolean(this.shadowRoot?.activeElement?.closest(`[data-toast-id="${id}"]`));
    this.toasts = this.toasts.filter((entry) => entry !== toast);
    if (hadFocus) this.focusAfterDismiss();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const toast of this.toasts) clearTimeout(toast.timer);
  }

  override render() {
    return html`
      <ol
        class="stack"
        aria-live="polite"
        aria-label="Notifications"
        @pointerenter=${this.pause}
        @pointerleave=${this.resumeUnlessFocused}
        @focusin=${this.pause}
        @focusout=${this.onFocusOut}
      >
        ${repeat(
          this.toasts,
          (toast) => toast.id,
          (toast) => html`
            <li part="toast" class="toast toast--${toast.tone}" data-toast-id=${toast.id}>
              <span class="toast__mark" aria-hidden="true"></span>
              <p class="toast__message">
                ${toast.tone === 'error' ? html`<span class="visually-hidden">Error: </span>` : nothing}${toast.message}
              </p>
              ${
                toast.action
                  ? html`<button
                      class="toast__action"
                      type="button"
                      ?disabled=${toast.busy}
                      @click=${() => this.runAction(toast)}
                    >
                      ${toast.action.label}
                    </button>`
                  : nothing
              }
              <button
                class="toast__dismiss"
                type="button"
                aria-label="Dismiss: ${toast.message}"
                title="Dismiss"
                @click=${() => this.dismiss(toast.id)}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          `,
        )}
      </ol>
    `;
  }

  private async runAction(toast: Toast): Promise<void> {
    if (!toast.action || toast.busy) return;
    toast.busy = true;
    this.requestUpdate();
    try {
      await toast.action.run();
    } finally {
      this.dismiss(toast.id);
    }
  }

  private startTimer(toast: Toast): void {
    clearTimeout(toast.timer);
    toast.startedAt = Date.now();
    toast.timer = setTimeout(() => this.dismiss(toast.id), toast.remaining);
  }

  private readonly pause = () => {
    if (this.paused) return;
    this.paused = true;
    const now = Date.now();
    for (const toast of this.toasts) {
      clearTimeout(toast.timer);
      if (toast.startedAt !== null) toast.remaining = Math.max(0, toast.remaining - (now - toast.startedAt));
      toast.startedAt = null;
    }
  };

  private resume(): void {
    if (!this.paused) return;
    this.paused = false;
    // Give the person a moment after moving away before anything disappears.
    for (const toast of this.toasts) {
      toast.remaining = Math.max(toast.remaining, 2_000);
      this.startTimer(toast);
    }
  }

  private readonly resumeUnlessFocused = () => {
    if (!this.shadowRoot?.activeElement) this.resume();
  };

  private readonly onFocusOut = (event: FocusEvent) => {
    const next = event.relatedTarget as Node | null;
    if (!next || !this.shadowRoot?.contains(next)) {
      if (!this.matches(':hover')) this.resume();
    }
  };

  private focusAfterDismiss(): void {
    void this.updateComplete.then(() => {
      const buttons = this.shadowRoot?.querySelectorAll<HTMLButtonElement>('.toast__dismiss');
      const last = buttons?.[buttons.length - 1];
      if (last) last.focus();
      else this.resume();
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-toasts': FdToasts;
  }
}
