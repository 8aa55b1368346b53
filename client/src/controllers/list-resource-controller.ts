import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { messageOf } from '../accounts/form-errors';

export interface ListResourceOptions<Api, Item> {
  /** Reads the list with the API given. */
  read(api: Api): Promise<Item[]>;
  /** What the page says when the list could not be read, given why. */
  failure(message: string): string;
}

/**
 * A list a page reads from one API, with its states: `items` is null while it loads (or when there
 * is nothing to read), `error` says why it could not be read. A read for an API that was replaced
 * meanwhile is dropped. The host changes `items` after its own actions (add, remove) with {@link set}.
 */
export class ListResourceController<Api, Item> implements ReactiveController {
  items: Item[] | null = null;
  error = '';
  private api: Api | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ListResourceOptions<Api, Item>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Reads the list (again) with `api`; with none, or when `readable` is false, shows nothing. */
  async load(api: Api | undefined, readable = true): Promise<void> {
    this.api = api;
    this.items = null;
    this.error = '';
    this.host.requestUpdate();
    if (!api || !readable) return;
    try {
      const items = await this.options.read(api);
      if (api === this.api) this.set(items);
    } catch (error) {
      if (api !== this.api) return;
      this.error = this.options.failure(messageOf(error));
      this.host.requestUpdate();
    }
  }

  /** The list after the host's own change. */
  set(items: Item[]): void {
    this.items = items;
    this.host.requestUpdate();
  }
}
