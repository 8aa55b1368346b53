import { html, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { ToastRequest } from '../../events/fd-toast';
import { copyText } from './copy-text';

/** How long a copy button says "Copied". */
const COPIED_MS = 2_000;

/** The job page's copy buttons (the id, the payload, the result, the embed code), and which one just copied. */
export class JobCopyButtons implements ReactiveController {
  private copied = '';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly toast: (request: ToastRequest) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    clearTimeout(this.timer);
  }

  /** `accessibleLabel` starts with the visible `label`, so that people who speak commands can say what they see. */
  render(what: string, text: string, label: string, accessibleLabel: string) {
    const done = this.copied === what;
    return html`<button
      class="button button--quiet copy"
      type="button"
      aria-label=${accessibleLabel}
      @click=${() => this.copy(what, text)}
    >
      <span aria-hidden="true">${done ? 'Copied' : label}</span>
      <span class="visually-hidden" aria-live="polite">${done ? 'Copied' : ''}</span>
    </button>`;
  }

  private async copy(what: string, text: string): Promise<void> {
    const ok = await copyText(text);
    clearTimeout(this.timer);
    this.set(ok ? what : '');
    if (!ok) this.toast({ message: 'Could not copy: select the text and copy it yourself.', tone: 'error' });
    this.timer = setTimeout(() => this.set(''), COPIED_MS);
  }

  private set(copied: string): void {
    this.copied = copied;
    this.host.requestUpdate();
  }
}
