import { Redis } from 'ioredis';
import { freePort } from '../src/services/local-services';
import { SyncedBudget } from '../src/edge/synced-budget';
import { countCommands } from './support/redis-command-count';
import { testNamespace } from './support/test-services';

// The budget REST requests and socket handshakes spend (per address, per caller): counted in Redis,
// shared by every process, but sent every 100 ms rather than at every spend while far from the limit.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function spendMany(budget: SyncedBudget, key: string, times: number): Promise<number> {
  let allowed = 0;
  for (let index = 0; index < times; index++) if ((await budget.spend(key)) === null) allowed++;
  return allowed;
}

describe('SyncedBudget (real Redis)', () => {
  const namespace = testNamespace();
  let redis: Redis;
  let other: Redis;
  beforeAll(async () => {
    redis = new Redis(namespace.redisUrl, { maxRetriesPerRequest: 1 });
    other = new Redis(namespace.redisUrl, { maxRetriesPerRequest: 1 });
    // A connection still connecting lets spends through (as one that is away does).
    await Promise.all([redis.ping(), other.ping()]);
  });
  afterAll(() => {
    redis.disconnect();
    other.disconnect();
  });

  it('counts every spend in Redis, with a few commands for hundreds of spends far from the limit', async () => {
    const budget = new SyncedBudget(redis, `${namespace.prefix}:rl:a`, 1000, 60);
    const commands = countCommands(redis);
    expect(await spendMany(budget, 'caller-1', 500)).toBe(500);
    await budget.flush();
    expect(commands()).toBeLessThanOrEqual(4);
    expect(Number(await other.get(`${namespace.prefix}:rl:a:caller-1`))).toBe(500);
    expect(await other.pttl(`${namespace.prefix}:rl:a:caller-1`)).toBeGreaterThan(55_000);
  });

  it('allows exactly the budget across processes that see each other within a sync, then refuses with the window left', async () => {
    const key = `${namespace.prefix}:rl:b`;
    const first = new SyncedBudget(redis, key, 1000, 60);
    const second = new SyncedBudget(other, key, 1000, 60);
    const allowedFirst = await spendMany(first, 'ip-1', 600);
    await sleep(250); // the first process's spends reach Redis on their own
    const allowedSecond = await spendMany(second, 'ip-1', 600);
    expect([allowedFirst, allowedSecond]).toEqual([600, 400]);
    const refusal = await second.spend('ip-1');
    expect(refusal?.msBeforeNext).toBeGreaterThan(55_000);
    expect(refusal?.msBeforeNext).toBeLessThanOrEqual(60_000);
    // Known to be spent: refused again without asking Redis.
    const commands = countCommands(other);
    expect(await second.spend('ip-1')).not.toBeNull();
    expect(commands()).toBe(0);
  });

  it('counts a small budget in Redis at every spend, so two processes together allow exactly it', async () => {
    const key = `${namespace.prefix}:rl:c`;
    const first = new SyncedBudget(redis, key, 5, 60);
    const second = new SyncedBudget(other, key, 5, 60);
    const answers = [];
    for (let index = 0; index < 4; index++) {
      answers.push(await first.spend('ip-2'), await second.spend('ip-2'));
    }
    expect(answers.filter((answer) => answer === null)).toHaveLength(5);
    expect(answers.slice(5).every((answer) => answer !== null)).toBe(true);
  });

  it('begins a new window once the old one ends', async () => {
    const budget = new SyncedBudget(redis, `${namespace.prefix}:rl:d`, 2, 1);
    expect(await spendMany(budget, 'ip-3', 3)).toBe(2);
    await sleep(1_100);
    expect(await budget.spend('ip-3')).toBeNull();
  });

  it('forgets keys once their window has ended, those of small budgets too', async () => {
    const budget = new SyncedBudget(redis, `${namespace.prefix}:rl:f`, 5, 1);
    const held = () => (budget as unknown as { states: Map<string, unknown> }).states.size;
    for (let index = 0; index < 50; index++) await budget.spend(`ip-${index}`);
    expect(held()).toBe(50);
    await sleep(1_100);
    await budget.spend('ip-late');
    expect(held()).toBe(1);
  });

  it('lets spends through when Redis cannot answer', async () => {
    const unreachable = new Redis({ port: await freePort(), lazyConnect: true, enableOfflineQueue: false });
    unreachable.on('error', () => undefined);
    const budget = new SyncedBudget(unreachable, 'unreachable:rl:e', 1, 60);
    for (let attempt = 0; attempt < 3; attempt++) expect(await budget.spend('203.0.113.9')).toBeNull();
    unreachable.disconnect();
  });
});
