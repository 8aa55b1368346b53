import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Calls `onOutside` for every click in the document that lands outside the host (its shadow DOM
 * counts as inside): what closes a menu or a popover. Listens only while the host is connected.
 */
export class ClickOutsideController implements ReactiveController {
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly onOutside: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('click', this.onClick);
  }

  hostDisconnected(): void {
    document.removeEventListener('click', this.onClick);
  }

  private readonly onClick = (event: MouseEvent): void => {
    if (!event.composedPath().includes(this.host)) this.onOutside();
  };
}
