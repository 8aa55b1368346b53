import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What the controller needs of a feed: it follows a stream until told to stop, and it can be disposed. */
export interface FollowingFeed<Stream> {
  connect(stream: Stream): () => void;
  dispose(): void;
}

/**
 * The live feed a view shows (the jobs view's jobs, the activity feed's entries), one at a time,
 * following the view's realtime stream: another feed (another API, say) disposes the one before,
 * another stream has the feed follow it instead, and the host leaving disposes the feed.
 */
export class LiveFeedController<Feed extends FollowingFeed<Stream>, Stream> implements ReactiveController {
  /** The feed shown; none before the first, or once the host left. */
  feed: Feed | undefined;
  private stopStream: (() => void) | undefined;

  constructor(
    host: ReactiveControllerHost,
    private readonly stream: () => Stream | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.replace(() => undefined);
  }

  /** Disposes the feed shown and shows the one `create` makes (or none), following the stream. */
  replace(create: () => Feed | undefined): Feed | undefined {
    this.stopStream?.();
    this.stopStream = undefined;
    this.feed?.dispose();
    this.feed = undefined;
    this.feed = create();
    this.follow();
    return this.feed;
  }

  /** Has the feed follow the stream as it is now (another one, say) instead of the one before. */
  follow(): void {
    this.stopStream?.();
    const stream = this.stream();
    this.stopStream = stream && this.feed ? this.feed.connect(stream) : undefined;
  }
}
