import { fakeHost } from '../../test/support/fake-controller-host';
import { LiveFeedController, type FollowingFeed } from './live-feed-controller';

/** A feed that logs what is done to it: following a stream (named by a string), stopping, disposal. */
class LoggedFeed implements FollowingFeed<string> {
  constructor(
    readonly name: string,
    private readonly log: string[],
  ) {}

  connect(stream: string): () => void {
    this.log.push(`${this.name} follows ${stream}`);
    return () => this.log.push(`${this.name} stops following ${stream}`);
  }

  dispose(): void {
    this.log.push(`${this.name} disposed`);
  }
}

function setUp(initialStream: string | undefined) {
  const log: string[] = [];
  let stream = initialStream;
  const host = fakeHost();
  const live = new LiveFeedController<LoggedFeed, string>(host, () => stream);
  return {
    host,
    live,
    log,
    feed: (name: string) => new LoggedFeed(name, log),
    setStream: (next?: string) => (stream = next),
  };
}

describe('LiveFeedController', () => {
  it('shows one feed at a time, following the stream, and disposes it when the host leaves', () => {
    const { host, live, log, feed } = setUp('stream A');
    expect(host.controllers).toEqual([live]);
    const first = live.replace(() => feed('first'));
    expect(live.feed).toBe(first);
    const second = live.replace(() => {
      log.push(`creating, shown: ${live.feed?.name ?? 'none'}`);
      return feed('second');
    });
    expect(live.feed).toBe(second);
    live.hostDisconnected();
    expect(live.feed).toBeUndefined();
    expect(log).toEqual([
      'first follows stream A',
      'first stops following stream A',
      'first disposed',
      'creating, shown: none',
      'second follows stream A',
      'second stops following stream A',
      'second disposed',
    ]);
  });

  it('has the feed follow another stream, and follows none without a stream or a feed', () => {
    const { live, log, feed, setStream } = setUp(undefined);
    live.follow();
    expect(live.replace(() => undefined)).toBeUndefined();
    live.replace(() => feed('jobs'));
    expect(log).toEqual([]);
    setStream('stream A');
    live.follow();
    setStream('stream B');
    live.follow();
    expect(log).toEqual(['jobs follows stream A', 'jobs stops following stream A', 'jobs follows stream B']);
  });
});
