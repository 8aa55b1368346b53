import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Actions on the rows of a list (revoke a key, remove a member, drain a queue): one at a time per
 * row (`busyWith`, for its disabled buttons), what the last one did (`done`, announced politely)
 * and what failed (`failure`, an alert). The host shows both with `renderActionMessages` (list-page-parts.ts) above its list.
 */
export class RowActionController<Kind extends string = 'busy'> implements ReactiveController {
  /** What the last action did. */
  done = '';
  /** Why the last action failed. */
  failure = '';
  private busy = new Map<string, Kind>();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** The action under way on row `id`, if any. */
  busyWith(id: string): Kind | undefined {
    return this.busy.get(id);
  }

  /**
   * Runs `action` on row `id` unless one is under way there: the messages are cleared first and
   * the row is busy until it settles. `action` says what it did with {@link succeeded}; what it throws
   * shows as the failure `failed` makes of it.
   */
  async run(id: string, kind: Kind, action: () => Promise<void>, failed: (error: unknown) => string): Promise<void> {
    if (this.busy.has(id)) return;
    this.clear();
    this.setBusy(id, kind);
    try {
      await action();
    } catch (error) {
      this.failure = failed(error);
    } finally {
      this.setBusy(id, undefined);
    }
  }

  /** Says what an action did (announced politely). */
  succeeded(done: string): void {
    this.done = done;
    this.host.requestUpdate();
  }

  /** Clears both messages (another action starts, say). */
  clear(): void {
    this.done = '';
    this.failure = '';
    this.host.requestUpdate();
  }

  private setBusy(id: string, kind: Kind | undefined): void {
    const next = new Map(this.busy);
    if (kind === undefined) next.delete(id);
    else next.set(id, kind);
    this.busy = next;
    this.host.requestUpdate();
  }
}
