import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface PollOptions<Api, Reading> {
  /** The API to read from now: another one starts over. */
  api(): Api | undefined;
  /** Milliseconds from one reading to the next. */
  interval(): number;
  read(api: Api): Promise<Reading>;
  /** Starting over (connected, or another API): forget what the last API read. */
  onRestart(): void;
  onReading(reading: Reading): void;
  /** A reading failed; returns whether to keep reading (false: stop for good, e.g. refused). */
  onError(error: unknown): boolean;
  /** After every reading that goes on (it came in, or failed and is retried), before the next is timed. */
  afterReading?(): void;
}

/**
 * Reads from an API every `interval` ms while the host is connected, one reading at a time: what a
 * view that shows live figures (the ops view, the fair-share panel) does. Another API starts over;
 * a reading under way when the API changed or the host left is dropped.
 */
export class PollController<Api, Reading> implements ReactiveController {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped to abandon readings under way (another API, or the host left). */
  private generation = 0;
  private polledApi: Api | undefined;
  private connected = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly options: PollOptions<Api, Reading>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
    this.restart();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.generation++;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.polledApi = undefined;
  }

  hostUpdate(): void {
    if (this.connected && this.options.api() !== this.polledApi) this.restart();
  }

  private restart(): void {
    const api = this.options.api();
    this.polledApi = api;
    this.generation++;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.options.onRestart();
    if (api) void this.poll(api);
  }

  private async poll(api: Api): Promise<void> {
    const generation = this.generation;
    try {
      const reading = await this.options.read(api);
      if (generation !== this.generation) return;
      this.options.onReading(reading);
    } catch (error) {
      if (generation !== this.generation) return;
      if (!this.options.onError(error)) return;
    }
    this.options.afterReading?.();
    this.timer = setTimeout(() => void this.poll(api), this.options.interval());
  }
}
