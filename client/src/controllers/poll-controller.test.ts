import { fakeHost } from '../../test/support/fake-controller-host';
import { PollController } from './poll-controller';

interface Api {
  read(): Promise<number>;
}

function setUp(initial: Api | undefined) {
  const host = fakeHost();
  const seen: string[] = [];
  let api = initial;
  let keepGoing = true;
  const poll = new PollController<Api, number>(host, {
    api: () => api,
    interval: () => 1_000,
    read: (from) => from.read(),
    onRestart: () => seen.push('restart'),
    onReading: (value) => seen.push(`reading ${value}`),
    onError: (error) => (seen.push(`error ${(error as Error).message}`), keepGoing),
    afterReading: () => seen.push('after'),
  });
  return {
    host,
    poll,
    seen,
    setApi: (next: Api | undefined) => (api = next),
    stopOnErrors: () => (keepGoing = false),
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('PollController', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate'] }));
  afterEach(() => jest.useRealTimers());

  it('reads on connect and every interval, retries failures, and stops when the host leaves', async () => {
    let n = 0;
    const { poll, seen } = setUp({ read: async () => (++n === 2 ? Promise.reject(new Error('down')) : n) });
    poll.hostConnected();
    await flush();
    expect(seen).toEqual(['restart', 'reading 1', 'after']);
    jest.advanceTimersByTime(1_000);
    await flush();
    expect(seen.slice(3)).toEqual(['error down', 'after']);
    jest.advanceTimersByTime(1_000);
    await flush();
    expect(seen.slice(5)).toEqual(['reading 3', 'after']);
    poll.hostDisconnected();
    jest.advanceTimersByTime(5_000);
    await flush();
    expect(n).toBe(3);
  });

  it('starts over with another API and drops a reading of the last one still under way', async () => {
    let answer!: (value: number) => void;
    const { poll, seen, setApi } = setUp({ read: () => new Promise<number>((resolve) => (answer = resolve)) });
    poll.hostConnected();
    setApi({ read: async () => 42 });
    poll.hostUpdate();
    answer(1);
    await flush();
    expect(seen).toEqual(['restart', 'restart', 'reading 42', 'after']);
  });

  it('stops for good when a failure says so', async () => {
    let reads = 0;
    const { poll, seen, stopOnErrors } = setUp({
      read: async () => {
        reads++;
        throw new Error('forbidden');
      },
    });
    stopOnErrors();
    poll.hostConnected();
    await flush();
    jest.advanceTimersByTime(10_000);
    await flush();
    expect(seen).toEqual(['restart', 'error forbidden']);
    expect(reads).toBe(1);
  });
  it('reads nothing while the host is away or without an API, and starts once it has one', async () => {
    let reads = 0;
    const { poll, seen, setApi } = setUp(undefined);
    poll.hostUpdate(); // not connected yet
    expect(seen).toEqual([]);
    poll.hostConnected();
    jest.advanceTimersByTime(5_000);
    await flush();
    expect(seen).toEqual(['restart']);
    setApi({ read: async () => ++reads });
    poll.hostUpdate();
    await flush();
    expect(seen).toEqual(['restart', 'restart', 'reading 1', 'after']);
    poll.hostDisconnected();
    setApi({ read: async () => 99 });
    poll.hostUpdate(); // away: another API waits for the next connect
    jest.advanceTimersByTime(5_000);
    await flush();
    expect(seen).toEqual(['restart', 'restart', 'reading 1', 'after']);
  });
});
