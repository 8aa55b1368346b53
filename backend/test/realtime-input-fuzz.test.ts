import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import pino from 'pino';
import type { Socket } from 'socket.io-client';
import { ulid } from 'ulid';
import { API_KEY_SCOPES, type PresenceSnapshot, type StreamEvent, type TypingNotice } from '@flightdeck/contract';
import { createApiKey, generateApiKey } from '../src/accounts/api-keys';
import { loadConfig } from '../src/config';
import { WorkspaceModel } from '../src/db/models';
import { startFlightdeck, type Flightdeck } from '../src/flightdeck';
import { httpClient, type HttpClient } from './support/http-client';
import { closeAllClients, RealtimeClient } from './support/realtime-client';
import {
  eventCase,
  expectedOutcome,
  rawCase,
  shapeProblems,
  type EventCase,
  type KnownJobs,
  type RawCase,
  type Sender,
} from './support/socket-fuzz';
import { testNamespace, waitFor } from './support/test-services';
import { MAX_CLIENT_MESSAGE_BYTES } from '../src/gateway/socket-input';

// Whatever a client sends over its socket — any event name, any payload (wrong types, huge strings,
// deep nesting, binary), acks or none, extra arguments, floods, raw packets below Socket.io's encoder —
// the gateway answers with one clear ack or nothing, closes at most the sender's connection, and never
// lets a socket of one workspace see another's events or presence. Generated with fast-check against
// an in-process Flightdeck on the real Redis and FerretDB; every warning and error it logs is kept.

const EVENTS_PER_SECOND = 300;
const EVENT_RUNS = 1_500;
const RAW_RUNS = 400;
const FLOOD_RUNS = 6;
const ACK_MS = 5_000;
/** Fixed so that a failure replays; fast-check prints the seed and path of a failing run either way. */
const SEED = Number(process.env.FUZZ_SEED ?? 18_05);

jest.setTimeout(180_000);

interface LogRecord {
  level: number;
  msg?: string;
  [field: string]: unknown;
}

let flightdeck: Flightdeck;
let url: string;
const logs: LogRecord[] = [];
const processFaults: unknown[] = [];
const onFault = (fault: unknown) => processFaults.push(fault);

interface Workspace {
  id: string;
  http: HttpClient;
  keys: Record<string, string>;
  jobs: Set<string>;
}
let alpha: Workspace;
let bravo: Workspace;
let tokenJob: string;
let stopTraffic: (() => Promise<void>) | undefined;
let jobToken: string;

async function workspace(name: string, keys: Record<string, readonly string[]>): Promise<Workspace> {
  const id = ulid();
  await WorkspaceModel.create({ _id: id, slug: `${name}-${id.toLowerCase()}`, name });
  const made: Record<string, string> = {};
  for (const [keyName, scopes] of Object.entries(keys)) {
    made[keyName] = generateApiKey();
    await createApiKey({ workspaceId: id, name: `${name}-${keyName}`, key: made[keyName]!, scopes });
  }
  return { id, http: httpClient(url, made.full), keys: made, jobs: new Set() };
}

async function submit(into: Workspace, ms = 100): Promise<string> {
  const answer = await into.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms, steps: 2 } });
  if (answer.status !== 202) throw new Error(`submit: ${answer.status} ${JSON.stringify(answer.body)}`);
  into.jobs.add(answer.body.id as string);
  return answer.body.id as string;
}

beforeAll(async () => {
  process.on('unhandledRejection', onFault);
  process.on('uncaughtException', onFault);
  const namespace = testNamespace();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'warn',
    REDIS_URL: namespace.redisUrl,
    MONGODB_URI: namespace.mongoUrl,
    REDIS_PREFIX: namespace.prefix,
    BOOTSTRAP_API_KEY: `fd_test_${randomBytes(16).toString('hex')}`,
    GATEWAY_DRAIN_DELAY_MS: '0',
    GATEWAY_DRAIN_MS: '500',
    RATE_LIMIT_PER_CALLER: '1000000',
    RATE_LIMIT_PER_IP: '1000000',
    SOCKET_HANDSHAKES_PER_IP: '1000000',
    SOCKET_EVENTS_PER_SECOND: String(EVENTS_PER_SECOND),
  });
  // The server's own log, kept: the test fails on any error it logs.
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogRecord) });
  flightdeck = await startFlightdeck(config, logger);
  url = `http://127.0.0.1:${flightdeck.port}`;
  alpha = await workspace('alpha', { full: API_KEY_SCOPES, readonly: ['queues:read'] });
  bravo = await workspace('bravo', { full: API_KEY_SCOPES, watch: API_KEY_SCOPES, chatter: API_KEY_SCOPES });
  for (let index = 0; index < 3; index++) await Promise.all([submit(alpha), submit(bravo)]);
  tokenJob = [...alpha.jobs][0]!;
  const token = await alpha.http.post(`/v1/jobs/${tokenJob}/token`, {});
  if (token.status !== 201 && token.status !== 200) throw new Error(`job token: ${token.status}`);
  jobToken = token.body.token as string;
});

afterAll(async () => {
  await stopTraffic?.().catch(() => undefined);
  closeAllClients();
  await flightdeck?.stop();
  process.off('unhandledRejection', onFault);
  process.off('uncaughtException', onFault);
});

/** What a set of sockets received, across reconnects. */
class Inbox {
  readonly events: StreamEvent[] = [];
  readonly presence: PresenceSnapshot[] = [];
  readonly typing: TypingNotice[] = [];

  listen(client: RealtimeClient): RealtimeClient {
    client.socket.on('event', (event) => this.events.push(event));
    client.socket.on('presence', (snapshot) => this.presence.push(snapshot));
    client.socket.on('typing', (notice) => this.typing.push(notice));
    return client;
  }

  names(): string[] {
    return [
      ...this.presence.flatMap((snapshot) => snapshot.members.map((member) => member.name)),
      ...this.typing.map((notice) => notice.user.name),
    ];
  }
}

/** The fuzzing sockets of workspace alpha, one per sender, reopened after the gateway closes one. */
class Senders {
  private readonly open = new Map<Sender, RealtimeClient>();
  reconnects = 0;

  constructor(readonly inbox: Inbox) {}

  async get(sender: Sender): Promise<RealtimeClient> {
    const current = this.open.get(sender);
    if (current?.connected) return current;
    if (current) {
      current.close();
      this.reconnects++;
    }
    const token = sender === 'jobToken' ? jobToken : alpha.keys[sender]!;
    const client = this.inbox.listen(await RealtimeClient.connect(url, token));
    this.open.set(sender, client);
    return client;
  }

  closeAll(): void {
    for (const client of this.open.values()) client.close();
    this.open.clear();
  }
}

let lastPingError: unknown;
const untyped = (client: RealtimeClient) => client.socket as unknown as Socket;

/**
 * Sends a harmless request with an ack on the same socket: a socket's events are handled in order,
 * so its answer means whatever came before was handled. 'timeout' is a hang.
 */
async function ping(client: RealtimeClient): Promise<'answered' | 'disconnected' | 'timeout'> {
  if (!client.connected) return 'disconnected';
  try {
    await untyped(client).timeout(ACK_MS).emitWithAck('unsubscribe', { topic: 'job', id: 'ping' });
    return 'answered';
  } catch (error) {
    if (!client.connected) return 'disconnected';
    lastPingError = error;
    return 'timeout';
  }
}

const closed = (client: RealtimeClient) =>
  waitFor('the sender to be disconnected', () => !client.connected, 3_000, 10).then(
    () => true,
    () => false,
  );

const describeCase = (value: unknown) => {
  const shown = JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'string' && item.length > 80 ? `${item.slice(0, 40)}…(${item.length})` : item,
  );
  return shown.length > 600 ? `${shown.slice(0, 600)}…` : shown;
};

/**
 * Runs a property without shrinking (each run costs round trips) and fails with our own short
 * description of the case: fast-check's would print megabytes of generated strings.
 */
async function check<T>(property: fc.IAsyncProperty<T>, numRuns: number): Promise<void> {
  const details = await fc.check(property, { numRuns, seed: SEED, endOnFailure: true });
  if (!details.failed) return;
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(
    `run ${details.numRuns} of ${numRuns} failed (seed ${details.seed}, path ${details.counterexamplePath}):\n${cause}`,
  );
}

const tally: Record<string, number> = {};
const count = (what: string) => (tally[what] = (tally[what] ?? 0) + 1);

async function runEventCase(senders: Senders, known: KnownJobs, testCase: EventCase): Promise<void> {
  const expected = expectedOutcome(testCase, known);
  const client = await senders.get(testCase.sender);
  const socket = untyped(client);
  let answer: unknown;
  let answered = false;
  if (testCase.ack) {
    try {
      answer = await socket.timeout(ACK_MS).emitWithAck(testCase.event as string, ...testCase.args);
      answered = true;
    } catch {
      if (client.connected) throw new Error(`no answer within ${ACK_MS} ms to ${describeCase(testCase)}`);
    }
  } else {
    socket.emit(testCase.event as string, ...testCase.args);
  }
  const after =
    expected.connection === 'closes'
      ? (await closed(client))
        ? 'disconnected'
        : await ping(client)
      : await ping(client);
  const fail = (why: string) => {
    throw new Error(
      `${why}\n  case: ${describeCase(testCase)}\n  expected: ${JSON.stringify(expected)}\n  answer: ${describeCase(answer)}`,
    );
  };
  if (after === 'timeout') fail('the socket stopped answering (a hang)');
  if (expected.connection === 'closes') {
    count('closed (too large)');
    if (after !== 'disconnected') fail('a message past the limit was not refused by closing the connection');
    if (answered) fail('a message past the limit was processed');
    return;
  }
  if (after === 'disconnected') {
    if (expected.connection === 'stays') fail('the gateway closed the connection');
    count('closed (binary placeholder or size at the limit)');
    return;
  }
  if (!testCase.ack) return void count('no ack asked');
  const problems = shapeProblems(testCase.event, answer);
  if (problems.length > 0) fail(`malformed answer: ${problems.join('; ')}`);
  const got = (answer as { ok: boolean; error?: { code: string } }).ok
    ? 'ok'
    : (answer as { error: { code: string } }).error.code;
  count(`answered ${got}`);
  if (got !== expected.answer && got !== 'rate_limited') fail(`answered ${got}, not ${expected.answer}`);
}

async function runRawCase(senders: Senders, testCase: RawCase): Promise<void> {
  const client = await senders.get(testCase.sender);
  const engine = untyped(client).io.engine;
  for (const frame of testCase.frames) engine.write(frame);
  // A DISCONNECT packet the client sent itself: Socket.io handles it a tick later, dropping packets
  // that came with it, and the client does not know its socket is gone. A later packet gets the
  // connection closed; one sent along with it would just be dropped (the client's doing, not a hang).
  if (testCase.frames.some((frame) => typeof frame === 'string' && /^1\d*(\/|$)/.test(frame)))
    await new Promise((resolve) => setTimeout(resolve, 50));
  const after = await ping(client);
  if (after === 'timeout')
    throw new Error(
      `the socket stopped answering after raw frames ${describeCase(testCase)}: ${String(lastPingError)}`,
    );
  count(`raw: ${after}`);
}

/** Background traffic in both workspaces while the fuzz runs: jobs, presence and typing. */
function startTraffic(alphaChatter: RealtimeClient, bravoChatter: RealtimeClient): () => Promise<void> {
  let round = 0;
  let pending: Promise<unknown> = Promise.resolve();
  let failed: unknown;
  const timer = setInterval(() => {
    round++;
    const [mine, chatter] = round % 2 === 0 ? [alpha, alphaChatter] : [bravo, bravoChatter];
    const jobId = [...mine.jobs].at(-1)!;
    chatter.socket.emit('presence', { jobId: round % 4 < 2 ? jobId : null });
    chatter.socket.emit('typing', { jobId });
    if (round % 3 === 0)
      pending = Promise.all([pending, submit(mine, 50).catch((error: unknown) => (failed ??= error))]);
  }, 150);
  return async () => {
    clearInterval(timer);
    await pending;
    if (failed) throw failed;
  };
}

it(`answers ≥ 1,000 generated socket inputs clearly, closing at most the sender, leaking nothing across workspaces`, async () => {
  const started = Date.now();
  const bystanderInbox = new Inbox();
  const bystander = bystanderInbox.listen(await RealtimeClient.connect(url, bravo.keys.watch));
  await bystander.subscribeOk({ topic: 'workspace', since: 0 });
  const joined = await untyped(bystander).timeout(ACK_MS).emitWithAck('presence', { jobId: null });
  expect(joined).toMatchObject({ ok: true });
  const alphaChatter = await RealtimeClient.connect(url, alpha.keys.full);
  const bravoChatter = await RealtimeClient.connect(url, bravo.keys.chatter);
  stopTraffic = startTraffic(alphaChatter, bravoChatter);

  const senderInbox = new Inbox();
  const senders = new Senders(senderInbox);
  const known: KnownJobs = { mine: [...alpha.jobs], foreign: [...bravo.jobs], tokenJob };
  let cases = 0;

  await check(
    fc.asyncProperty(eventCase(known), async (testCase) => {
      cases++;
      await runEventCase(senders, known, testCase);
    }),
    EVENT_RUNS,
  );
  await check(
    fc.asyncProperty(rawCase(known), async (testCase) => {
      cases++;
      await runRawCase(senders, testCase);
    }),
    RAW_RUNS,
  );

  // Floods: far past the budget in one burst, with acks — every one answered, at most the budget
  // processed per second, the socket kept, other sockets untouched.
  let flooded = 0;
  await check(
    fc.asyncProperty(
      fc.integer({ min: EVENTS_PER_SECOND + 1, max: 3 * EVENTS_PER_SECOND }),
      fc.constantFrom('subscribe', 'typing', 'no-such-event'),
      async (size, event) => {
        cases++;
        flooded += size;
        const client = await RealtimeClient.connect(url, alpha.keys.full);
        const socket = untyped(client);
        const request = event === 'subscribe' ? { topic: 'workspace' } : { jobId: tokenJob };
        const from = Date.now();
        const answers = (await Promise.all(
          Array.from({ length: size }, () => socket.timeout(ACK_MS * 2).emitWithAck(event, request)),
        )) as { ok: boolean; error?: { code: string } }[];
        const windows = Math.floor((Date.now() - from) / 1_000) + 2;
        const processed = answers.filter((answer) => answer.error?.code !== 'rate_limited');
        expect(processed.length).toBeGreaterThan(0);
        expect(processed.length).toBeLessThanOrEqual(EVENTS_PER_SECOND * windows);
        expect(answers.length - processed.length).toBeGreaterThan(0);
        if (event === 'no-such-event')
          expect(new Set(processed.map((answer) => answer.error?.code))).toEqual(new Set(['route_not_found']));
        else expect(processed.every((answer) => answer.ok)).toBe(true);
        expect(client.connected).toBe(true);
        client.close();
      },
    ),
    FLOOD_RUNS,
  );
  await stopTraffic();
  stopTraffic = undefined;
  const fuzzSeconds = (Date.now() - started) / 1_000;
  console.log(
    `socket input fuzz: ${cases} generated cases (${EVENT_RUNS} emits, ${RAW_RUNS} raw packet sets, ${FLOOD_RUNS} floods of ${flooded} events) in ${fuzzSeconds.toFixed(1)} s; ` +
      `${senders.reconnects} sender reconnects; outcomes ${JSON.stringify(tally)}`,
  );
  expect(cases).toBeGreaterThanOrEqual(1_000);

  // The server still serves: health, and a well-formed subscribe that delivers a live job.
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  const fresh = await RealtimeClient.connect(url, alpha.keys.full);
  await fresh.subscribeOk({ topic: 'workspace' });
  const probe = await submit(alpha, 10);
  await fresh.waitForFinished([probe]);

  // The bystander in bravo stayed connected and saw bravo's traffic only.
  await bystander.waitForFinished([[...bravo.jobs].at(-1)!]);
  expect(bystander.connected).toBe(true);
  expect(bystander.disconnectReason).toBeNull();
  expect(bystanderInbox.events.length).toBeGreaterThan(0);
  expect(bystanderInbox.events.filter((event) => !bravo.jobs.has(event.jobId!))).toEqual([]);
  expect(bystanderInbox.presence.length).toBeGreaterThan(0);
  expect(bystanderInbox.typing.length).toBeGreaterThan(0);
  expect(bystanderInbox.names().filter((name) => !name.startsWith('bravo-'))).toEqual([]);

  // And alpha's senders, whatever they sent, saw nothing of bravo.
  expect(senderInbox.events.length).toBeGreaterThan(0);
  expect(senderInbox.events.filter((event) => bravo.jobs.has(event.jobId!))).toEqual([]);
  expect(senderInbox.names().filter((name) => name.startsWith('bravo-'))).toEqual([]);

  // The other sockets of both workspaces, chatting all along, were never disconnected either.
  expect([alphaChatter.connected, bravoChatter.connected]).toEqual([true, true]);

  // Every socket the fuzz opened is counted out again (reserved-looking events did not fake a disconnect).
  senders.closeAll();
  fresh.close();
  alphaChatter.close();
  const metric = async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    return Number(/^flightdeck_realtime_connections (\d+)/m.exec(text)?.[1]);
  };
  await waitFor('only the bystander and bravo chatter to stay connected', async () => (await metric()) === 2, 10_000);

  // Nothing went wrong inside: no error logged, no unhandled rejection or exception.
  const warnings = [...new Set(logs.filter((record) => record.level === 40).map((record) => record.msg))];
  console.log(`server warnings during the fuzz: ${JSON.stringify(warnings)}`);
  expect(logs.filter((record) => record.level >= 50)).toEqual([]);
  expect(
    logs.filter((record) => /handler failed|subscribe failed|presence update failed/.test(record.msg ?? '')),
  ).toEqual([]);
  expect(processFaults).toEqual([]);
});

it('relays a burst of presence changes and typing from one socket to the others of its workspace as a trickle', async () => {
  const watcher = await RealtimeClient.connect(url, alpha.keys.full);
  const snapshots: PresenceSnapshot[] = [];
  const typing: TypingNotice[] = [];
  watcher.socket.on('presence', (snapshot) => snapshots.push(snapshot));
  watcher.socket.on('typing', (notice) => typing.push(notice));
  expect(await untyped(watcher).timeout(ACK_MS).emitWithAck('presence', { jobId: null })).toMatchObject({ ok: true });
  await new Promise((resolve) => setTimeout(resolve, 300));
  snapshots.length = 0;

  const flooder = await RealtimeClient.connect(url, alpha.keys.full!);
  const jobIds = [...alpha.jobs];
  const from = Date.now();
  const sent = Array.from({ length: 200 }, (_, index) => ({
    event: index % 2 === 0 ? 'presence' : 'typing',
    jobId: jobIds[index % jobIds.length]!,
  }));
  const answers = (await Promise.all(
    sent.map(({ event, jobId }) => untyped(flooder).timeout(ACK_MS).emitWithAck(event, { jobId })),
  )) as { ok: boolean; error?: { code: string } }[];
  const lastLook = sent.filter(({ event }) => event === 'presence').at(-1)!.jobId;
  // The last change always goes out: the watcher ends up seeing the flooder on its last job.
  await waitFor('the last presence', () =>
    snapshots.at(-1)?.members.some((member) => member.jobIds.length === 1 && member.jobIds[0] === lastLook),
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  const seconds = (Date.now() - from) / 1_000;

  expect(answers.filter((answer) => answer.ok).length).toBeGreaterThanOrEqual(100);
  // At most one snapshot per PRESENCE_BROADCAST_MS (100 ms), not one per change.
  expect(snapshots.length).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 2);
  // Typing: at most TYPING_RELAYS_PER_SECOND (5) a second from one socket; the rest answered rate_limited.
  expect(typing.length).toBeGreaterThan(0);
  expect(typing.length).toBeLessThanOrEqual(5 * Math.ceil(seconds + 1));
  const refusedTyping = answers.filter((answer, index) => sent[index]!.event === 'typing' && !answer.ok);
  expect(refusedTyping.length).toBeGreaterThan(0);
  expect(new Set(refusedTyping.map((answer) => answer.error?.code))).toEqual(new Set(['rate_limited']));
  console.log(
    `presence burst: 100 changes → ${snapshots.length} snapshots, 100 typing → ${typing.length} relayed, in ${seconds.toFixed(1)} s`,
  );
});

/** One Engine.IO long-polling session, spoken by hand: what a browser falls back to without WebSocket. */
async function pollingSession(
  token: string,
): Promise<{ post(body: string | Buffer): Promise<number>; poll(): Promise<{ status: number; text: string }> }> {
  const base = `${url}/socket.io/?EIO=4&transport=polling`;
  const open = await (await fetch(base, { signal: AbortSignal.timeout(ACK_MS) })).text();
  const handshake = JSON.parse(open.slice(1)) as { sid: string; maxPayload: number };
  expect(handshake.maxPayload).toBe(MAX_CLIENT_MESSAGE_BYTES);
  const session = `${base}&sid=${handshake.sid}`;
  const post = async (body: string | Buffer) =>
    (
      await fetch(session, {
        method: 'POST',
        body,
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        signal: AbortSignal.timeout(ACK_MS),
      })
    ).status;
  const poll = async () => {
    const response = await fetch(session, { signal: AbortSignal.timeout(ACK_MS) });
    return { status: response.status, text: await response.text() };
  };
  expect(await post(`40${JSON.stringify({ token })}`)).toBe(200);
  const connected = await poll();
  expect(connected.text).toMatch(/^40\{"sid"/);
  return { post, poll };
}

it('long-polling: any body answers 200, 400 or 413 and ends at most its own session', async () => {
  const watcher = await RealtimeClient.connect(url, bravo.keys.watch);
  await watcher.subscribeOk({ topic: 'workspace' });
  const body = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc
      .array(
        fc.oneof(
          fc.constantFrom(
            '42["subscribe",{"topic":"workspace"}]',
            '421["subscribe",{"topic":"job","id":"x"}]',
            '42["nope"]',
            '41',
            '2',
            '6',
            'bAAAA',
            '451-["subscribe",{"_placeholder":true,"num":0}]',
          ),
          fc.string({ maxLength: 40 }),
        ),
        { minLength: 1, maxLength: 6 },
      )
      .map((packets) => packets.join('\x1e')),
    fc
      .integer({ min: MAX_CLIENT_MESSAGE_BYTES + 1, max: 4 * MAX_CLIENT_MESSAGE_BYTES })
      .map((size) => `42["subscribe",{"topic":"${'x'.repeat(size)}"}]`),
  );
  const statuses: Record<number, number> = {};
  await check(
    fc.asyncProperty(body, async (sent) => {
      const session = await pollingSession(alpha.keys.full!);
      const status = await session.post(sent);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (![200, 400, 413].includes(status)) throw new Error(`POST answered ${status} to ${describeCase(sent)}`);
      if (Buffer.byteLength(sent) > MAX_CLIENT_MESSAGE_BYTES && status !== 413)
        throw new Error(`an oversize body was answered ${status}`);
      // Then a request with an ack: a session that lives answers it (a poll with nothing to send would
      // wait for the next ping), one that ended answers 400 "session unknown". Either way, no hang.
      const pinged = await session.post('421["unsubscribe",{"topic":"job","id":"ping"}]');
      if (pinged >= 500) throw new Error(`POST answered ${pinged} after ${describeCase(sent)}`);
      let settled = pinged !== 200;
      for (let polls = 0; !settled && polls < 5; polls++) {
        const next = await session.poll();
        if (next.status >= 500) throw new Error(`poll answered ${next.status} after ${describeCase(sent)}`);
        const packets = next.text.split('\x1e');
        // Our ack, or the end: Engine.IO's close packet, Socket.IO's disconnect, or "session unknown".
        settled =
          next.status !== 200 ||
          packets.some((packet) => packet.startsWith('431[') || packet === '1' || packet === '41');
      }
      if (!settled) throw new Error(`no answer to a request after ${describeCase(sent)}`);
    }),
    100,
  );
  console.log(`long-polling: 100 generated bodies → statuses ${JSON.stringify(statuses)}`);
  expect(watcher.connected).toBe(true);
  expect(watcher.events.filter((event) => !bravo.jobs.has(event.jobId!))).toEqual([]);
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  expect(logs.filter((record) => record.level >= 50)).toEqual([]);
});
