import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * A subscription the host holds while it is connected (to the realtime client's events, say):
 * `subscribe` starts it and returns what ends it (nothing, when there is nothing to follow yet).
 * {@link renew} ends it and subscribes again, when what it follows changed; the host leaving ends it.
 */
export class SubscriptionController implements ReactiveController {
  private unsubscribe: (() => void) | undefined;

  constructor(
    host: ReactiveControllerHost,
    private readonly subscribe: () => (() => void) | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.renew();
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Ends the subscription and starts it again. */
  renew(): void {
    this.hostDisconnected();
    this.unsubscribe = this.subscribe();
  }
}
