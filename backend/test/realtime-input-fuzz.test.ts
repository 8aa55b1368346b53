import fc from 'fast-check';
import type { PresenceSnapshot, TypingNotice } from '@flightdeck/contract';
import { MAX_CLIENT_MESSAGE_BYTES } from '../src/gateway/socket-input';
import {
  ACK_MS,
  check as checkWithSeed,
  closed,
  describeCase,
  Inbox,
  ping,
  Senders,
  startFuzzTarget,
  untyped,
  type FuzzTarget,
} from './support/fuzz-target';
import { closeAllClients, RealtimeClient } from './support/realtime-client';
import {
  eventCase,
  expectedOutcome,
  rawCase,
  shapeProblems,
  type EventCase,
  type KnownJobs,
  type RawCase,
} from './support/socket-fuzz';
import { waitFor } from './support/test-services';

// Whatever a client sends over its socket — any event name, any payload (wrong types, huge strings,
// deep nesting, binary), acks or none, extra arguments, floods, raw packets below Socket.io's encoder,
// long-polling bodies — the gateway answers with one clear ack or nothing, closes at most the sender's
// connection, and never lets a socket of one workspace see another's events or presence. Generated
// with fast-check against an in-process Flightdeck on the real Redis and FerretDB, whose log is kept.

const EVENTS_PER_SECOND = 300;
const EVENT_RUNS = 1_500;
const RAW_RUNS = 400;
const FLOOD_RUNS = 6;
const POLLING_RUNS = 100;
/** Fixed so that a failure replays (FUZZ_SEED explores others); a failure names its seed and path. */
const SEED = Number(process.env.FUZZ_SEED ?? 18_05);
const check = <T>(property: fc.IAsyncProperty<T>, numRuns: number) => checkWithSeed(property, numRuns, SEED);

jest.setTimeout(180_000);

let target: FuzzTarget;
let url: string;
let stopTraffic: (() => Promise<void>) | undefined;

beforeAll(async () => {
  target = await startFuzzTarget(EVENTS_PER_SECOND);
  url = target.url;
});

afterAll(async () => {
  await stopTraffic?.().catch(() => undefined);
  closeAllClients();
  await target?.stop();
});

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
  if (typeof after === 'object') fail(`the socket stopped answering (a hang): ${String(after.timeout)}`);
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
  if (typeof after === 'object')
    throw new Error(
      `the socket stopped answering after raw frames ${describeCase(testCase)}: ${String(after.timeout)}`,
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
    const [mine, chatter] = round % 2 === 0 ? [target.alpha, alphaChatter] : [target.bravo, bravoChatter];
    const jobId = [...mine.jobs].at(-1)!;
    chatter.socket.emit('presence', { jobId: round % 4 < 2 ? jobId : null });
    chatter.socket.emit('typing', { jobId });
    if (round % 3 === 0)
      pending = Promise.all([pending, target.submit(mine, 50).catch((error: unknown) => (failed ??= error))]);
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
  const bystander = bystanderInbox.listen(await RealtimeClient.connect(url, target.bravo.keys.watch));
  await bystander.subscribeOk({ topic: 'workspace', since: 0 });
  const joined = await untyped(bystander).timeout(ACK_MS).emitWithAck('presence', { jobId: null });
  expect(joined).toMatchObject({ ok: true });
  const alphaChatter = await RealtimeClient.connect(url, target.alpha.keys.full);
  const bravoChatter = await RealtimeClient.connect(url, target.bravo.keys.chatter);
  stopTraffic = startTraffic(alphaChatter, bravoChatter);

  const inboxes = { full: new Inbox(), readonly: new Inbox(), jobToken: new Inbox() };
  const senders = new Senders(target, inboxes);
  const known: KnownJobs = { mine: [...target.alpha.jobs], foreign: [...target.bravo.jobs], tokenJob: target.tokenJob };
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
        const client = await RealtimeClient.connect(url, target.alpha.keys.full);
        const socket = untyped(client);
        const request = event === 'subscribe' ? { topic: 'workspace' } : { jobId: target.tokenJob };
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
  const fresh = await RealtimeClient.connect(url, target.alpha.keys.full);
  await fresh.subscribeOk({ topic: 'workspace' });
  const probe = await target.submit(target.alpha, 10);
  await fresh.waitForFinished([probe]);

  // The bystander in bravo stayed connected and saw bravo's traffic only.
  await bystander.waitForFinished([[...target.bravo.jobs].at(-1)!]);
  expect(bystander.connected).toBe(true);
  expect(bystander.disconnectReason).toBeNull();
  expect(bystanderInbox.events.length).toBeGreaterThan(0);
  expect(bystanderInbox.events.filter((event) => !target.bravo.jobs.has(event.jobId!))).toEqual([]);
  expect(bystanderInbox.presence.length).toBeGreaterThan(0);
  expect(bystanderInbox.typing.length).toBeGreaterThan(0);
  expect(bystanderInbox.names().filter((name) => !name.startsWith('bravo-'))).toEqual([]);

  // And alpha's senders, whatever they sent, saw nothing of target.bravo.
  const received = Object.values(inboxes);
  expect(inboxes.full.events.length).toBeGreaterThan(0);
  expect(received.flatMap((inbox) => inbox.events).filter((event) => target.bravo.jobs.has(event.jobId!))).toEqual([]);
  expect(received.flatMap((inbox) => inbox.names()).filter((name) => name.startsWith('bravo-'))).toEqual([]);
  // Within alpha, each sender saw only what its credentials allow: the job token its one job, the
  // key without jobs:read no events at all, and neither any presence.
  expect(inboxes.jobToken.events.filter((event) => event.jobId !== target.tokenJob)).toEqual([]);
  expect(inboxes.readonly.events).toEqual([]);
  expect([...inboxes.jobToken.names(), ...inboxes.readonly.names()]).toEqual([]);

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
  const warnings = [...new Set(target.logs.filter((record) => record.level === 40).map((record) => record.msg))];
  console.log(`server warnings during the fuzz: ${JSON.stringify(warnings)}`);
  expect(target.logs.filter((record) => record.level >= 50)).toEqual([]);
  expect(
    target.logs.filter((record) => /handler failed|subscribe failed|presence update failed/.test(record.msg ?? '')),
  ).toEqual([]);
  expect(target.faults).toEqual([]);
});

it('relays a burst of presence changes and typing from one socket to the others of its workspace as a trickle', async () => {
  const watcher = await RealtimeClient.connect(url, target.alpha.keys.full);
  const snapshots: PresenceSnapshot[] = [];
  const typing: TypingNotice[] = [];
  watcher.socket.on('presence', (snapshot) => snapshots.push(snapshot));
  watcher.socket.on('typing', (notice) => typing.push(notice));
  expect(await untyped(watcher).timeout(ACK_MS).emitWithAck('presence', { jobId: null })).toMatchObject({ ok: true });
  await new Promise((resolve) => setTimeout(resolve, 300));
  snapshots.length = 0;

  const flooder = await RealtimeClient.connect(url, target.alpha.keys.full!);
  const jobIds = [...target.alpha.jobs];
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
  const watcher = await RealtimeClient.connect(url, target.bravo.keys.watch);
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
      const session = await pollingSession(target.alpha.keys.full!);
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
    POLLING_RUNS,
  );
  console.log(`long-polling: ${POLLING_RUNS} generated bodies → statuses ${JSON.stringify(statuses)}`);
  expect(watcher.connected).toBe(true);
  expect(watcher.events.filter((event) => !target.bravo.jobs.has(event.jobId!))).toEqual([]);
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  expect(target.logs.filter((record) => record.level >= 50)).toEqual([]);
});
