import fc from 'fast-check';
import {
  CLIENT_EVENTS,
  ERROR_CODES,
  presenceRequestSchema,
  subscribeRequestSchema,
  typingRequestSchema,
  type ErrorCode,
} from '@flightdeck/contract';
import { MAX_CLIENT_MESSAGE_BYTES } from '../../src/gateway/socket-input';

// Generated client input for the gateway, and what the gateway must answer to it: the oracle of
// backend/test/realtime-input-fuzz.test.ts.

/** Who sends: a key with every scope, a key without jobs:read / jobs:write, a job token of one job. */
export type Sender = 'full' | 'readonly' | 'jobToken';
export const SENDERS: readonly Sender[] = ['full', 'readonly', 'jobToken'];

/** The jobs the generated requests name: the sender's workspace's, the other workspace's, the token's. */
export interface KnownJobs {
  mine: readonly string[];
  foreign: readonly string[];
  tokenJob: string;
}

/** One emit through a Socket.io client: any event name, any arguments, with or without an ack. */
export interface EventCase {
  sender: Sender;
  event: string | number;
  args: unknown[];
  ack: boolean;
}

/** Engine.io messages written as they are, below Socket.io's encoder: text packets of any shape, binary frames. */
export interface RawCase {
  sender: Sender;
  frames: (string | Buffer)[];
}

/** Names socket.io-client refuses to emit (they are Socket.io's own); sent only as raw packets. */
const CLIENT_RESERVED = new Set([
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
]);

const isBinary = (value: unknown): value is ArrayBuffer | ArrayBufferView =>
  value instanceof ArrayBuffer || ArrayBuffer.isView(value);

/** Binary values in every form socket.io-client turns into attachments. */
const binary = fc.oneof(
  fc.uint8Array({ maxLength: 32 }).map((bytes) => Buffer.from(bytes)),
  fc.uint8Array({ maxLength: 32 }).map((bytes) => bytes.buffer),
  fc.uint8Array({ maxLength: 32 }),
  fc.float64Array({ maxLength: 4 }),
  fc.int16Array({ maxLength: 4 }),
  fc.uint8Array({ maxLength: 16 }).map((bytes) => new DataView(bytes.buffer)),
  fc.integer({ min: 1, max: 2 * MAX_CLIENT_MESSAGE_BYTES }).map((size) => Buffer.alloc(size, 7)),
);

/** Strings from empty to several times the message limit, one- and multi-byte. */
const hugeString = fc
  .tuple(fc.constantFrom('x', 'é', '😀', '\u0000'), fc.integer({ min: 1_000, max: 4 * MAX_CLIENT_MESSAGE_BYTES }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / Buffer.byteLength(unit))));

/** Arrays or objects nested thousands deep (small on the wire, deep for any recursive reader). */
const deep = fc
  .tuple(fc.integer({ min: 2, max: 2_000 }), fc.boolean(), fc.jsonValue({ maxDepth: 1 }))
  .map(([depth, arrays, leaf]) => {
    let value: unknown = leaf;
    for (let level = 0; level < depth; level++) value = arrays ? [value] : { topic: value };
    return value;
  });

/** Something that looks like one of Socket.io's binary placeholders (the parser replaces those in binary packets). */
const placeholder = fc.record({
  _placeholder: fc.constant(true),
  num: fc.oneof(fc.integer({ min: -2, max: 12 }), fc.string()),
});

const awkwardKeys = fc.constantFrom(
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '_placeholder',
  'then',
  '',
);

function requestLike(jobs: KnownJobs) {
  const jobId = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...jobs.mine, ...jobs.foreign, jobs.tokenJob) },
    { weight: 2, arbitrary: fc.string({ maxLength: 80 }) },
    { weight: 1, arbitrary: hugeString },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.constant(null), fc.boolean(), binary, placeholder) },
  );
  const since = fc.oneof(
    fc.nat(),
    fc.constantFrom(0, -1, 1.5, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1e308, -0),
    fc.double(),
    fc.string({ maxLength: 12 }),
    fc.constant(null),
    binary,
  );
  const topic = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('workspace', 'job') },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.constant(null), binary) },
  );
  const extra = fc.dictionary(fc.oneof(awkwardKeys, fc.string({ maxLength: 8 })), fc.jsonValue({ maxDepth: 2 }), {
    maxKeys: 2,
  });
  const exact = fc.oneof(
    fc.record({ topic: fc.constant('workspace'), since }, { requiredKeys: ['topic'] }),
    fc.record({ topic: fc.constant('job'), id: jobId, since }, { requiredKeys: ['topic', 'id'] }),
    fc.record({ jobId: fc.oneof(jobId, fc.constant(null)) }),
  );
  const loose = fc
    .tuple(
      fc.record({ topic, id: jobId, since, jobId: fc.oneof(jobId, fc.constant(null)) }, { requiredKeys: [] }),
      fc.option(extra, { freq: 3 }),
    )
    .map(([fields, more]) => (more ? { ...fields, ...more } : fields));
  return fc.oneof({ weight: 4, arbitrary: exact }, { weight: 4, arbitrary: loose });
}

/** Any argument a client might send: near-valid requests most of the time, then junk of every kind. */
export function argument(jobs: KnownJobs): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 10, arbitrary: requestLike(jobs) },
    { weight: 2, arbitrary: fc.anything({ maxDepth: 3 }) },
    { weight: 1, arbitrary: hugeString },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: binary },
    { weight: 1, arbitrary: fc.array(fc.oneof(binary, placeholder, fc.jsonValue({ maxDepth: 1 })), { maxLength: 14 }) },
    { weight: 1, arbitrary: fc.record({ topic: fc.constant('workspace'), since: placeholder }) },
  );
}

/** An ack argument that is not a function: it travels as one more argument. */
const notAFunction = fc.oneof(fc.constant('callback'), fc.integer(), fc.constant(null), fc.constant({ ack: true }));

/** Requests each event accepts, naming jobs of both workspaces: what the gateway must get right, not just refuse. */
function wellFormed(jobs: KnownJobs, event: (typeof CLIENT_EVENTS)[number]): fc.Arbitrary<unknown> {
  const jobId = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...jobs.mine, ...jobs.foreign, jobs.tokenJob) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 64 }) },
  );
  const since = fc.option(fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER)), { nil: undefined, freq: 2 });
  const withoutUndefined = (request: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined));
  switch (event) {
    case 'subscribe':
    case 'unsubscribe':
      return fc
        .oneof(
          fc.record({ topic: fc.constant('workspace'), since }),
          fc.record({ topic: fc.constant('job'), id: jobId, since }),
        )
        .map(withoutUndefined);
    case 'presence':
      return fc.record({ jobId: fc.option(jobId, { nil: null }) });
    case 'typing':
      return fc.record({ jobId });
  }
}

export function eventCase(jobs: KnownJobs): fc.Arbitrary<EventCase> {
  const valid = fc.constantFrom(...CLIENT_EVENTS).chain((event) =>
    fc.record({
      sender: fc.constantFrom(...SENDERS),
      event: fc.constant<string | number>(event),
      args: wellFormed(jobs, event).map((request) => [request]),
      ack: fc.oneof(fc.constant(true), fc.constant(true), fc.constant(false)),
    }),
  );
  return fc.oneof({ weight: 1, arbitrary: valid }, { weight: 2, arbitrary: anyEventCase(jobs) });
}

function anyEventCase(jobs: KnownJobs): fc.Arbitrary<EventCase> {
  const event = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom<string | number>(...CLIENT_EVENTS) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.string({ maxLength: 30 }),
          fc.constantFrom('error', 'event', 'resync', 'revoked', 'ping', '__proto__'),
        )
        .filter((name) => !CLIENT_RESERVED.has(name)),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.integer(),
        hugeString.map((name) => name.slice(0, 5_000)),
      ),
    },
  );
  const args = fc.oneof(
    { weight: 8, arbitrary: argument(jobs).map((one) => [one]) },
    { weight: 1, arbitrary: fc.constant<unknown[]>([]) },
    { weight: 2, arbitrary: fc.array(fc.oneof(argument(jobs), notAFunction), { minLength: 2, maxLength: 4 }) },
  );
  return fc.record({
    sender: fc.constantFrom(...SENDERS),
    event,
    args,
    ack: fc.oneof(fc.constant(true), fc.constant(true), fc.constant(false)),
  });
}

const text = (value: unknown) => JSON.stringify(value);

/** Packets no well-behaved client sends: reserved names, other namespaces, bad attachments, bad JSON, huge ack ids. */
export function rawCase(jobs: KnownJobs): fc.Arbitrary<RawCase> {
  const name = fc.oneof(fc.constantFrom(...CLIENT_RESERVED, 'error', ...CLIENT_EVENTS), fc.integer());
  const request = requestLike(jobs);
  const packet = fc.oneof(
    fc.tuple(name, request).map(([event, body]) => `2${text([event, body])}`),
    fc.tuple(fc.nat(), request).map(([id, body]) => `2${id}${text(['subscribe', body])}`),
    request.map((body) => `2${'9'.repeat(400)}${text(['subscribe', body])}`),
    fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 2 })).map(([id, data]) => `3${id}${text([data])}`),
    fc.constantFrom(
      '0',
      '0{}',
      '0/admin,{}',
      '1',
      '1/admin,',
      '2/admin,["subscribe",{"topic":"workspace"}]',
      '4{}',
      '9',
      '',
    ),
    fc
      .tuple(fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '2[', '51-'), fc.string({ maxLength: 60 }))
      .map(([head, tail]) => head + tail),
    fc
      .tuple(fc.integer({ min: -1, max: 12 }), fc.oneof(fc.integer({ min: -2, max: 12 }), fc.string({ maxLength: 3 })))
      .map(
        ([count, num]) =>
          `5${count}-${text(['subscribe', { topic: 'workspace', since: { _placeholder: true, num } }])}`,
      ),
    fc
      .integer({ min: 1_000, max: 30_000 })
      .map((depth) => `51-["subscribe",${'['.repeat(depth)}{"_placeholder":true,"num":0}${']'.repeat(depth)}]`),
  );
  const frames = fc.array(
    fc.oneof(
      { weight: 4, arbitrary: packet },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)) },
    ),
    {
      minLength: 1,
      maxLength: 3,
    },
  );
  return fc.record({ sender: fc.constantFrom(...SENDERS), frames });
}

/** What arrives at the server, as far as validation can tell: JSON, with each binary value a marker no schema accepts. */
interface Wire {
  values: unknown[];
  /** The text frame's size in bytes, and the largest binary frame's. */
  largestFrame: number;
  attachments: number;
  placeholderLookalike: boolean;
}

function onTheWire(event: string | number, args: unknown[]): Wire {
  let attachments = 0;
  let largestBinary = 0;
  const json = JSON.stringify([event, ...args], function (this: Record<string, unknown>, key, value: unknown) {
    const original = key === '' ? value : this[key];
    if (!isBinary(original)) return value;
    attachments++;
    largestBinary = Math.max(largestBinary, original.byteLength);
    return { _placeholder: true, num: attachments - 1 };
  });
  const values = (JSON.parse(json) as unknown[]).slice(1);
  return {
    values,
    // "451-" and an ack id at most: a few bytes on top of the JSON.
    largestFrame: Math.max(Buffer.byteLength(json) + 16, largestBinary),
    attachments,
    placeholderLookalike:
      attachments > 0 && args.some((arg) => JSON.stringify(arg ?? null).includes('"_placeholder":true')),
  };
}

/**
 * The gateway's duty for one emit. `connection` is what must become of the socket: it must stay,
 * must be closed (a message over the size limit, too many attachments), or may go either way (too
 * close to the limit to call, or a placeholder look-alike that Socket.io's parser may reject). When
 * it stays and the emit has an ack, `answer` is the one answer owed (a `rate_limited` refusal is
 * always acceptable in its place).
 */
export function expectedOutcome(
  testCase: EventCase,
  jobs: KnownJobs,
): { connection: 'stays' | 'closes' | 'either'; answer: 'ok' | ErrorCode } {
  const wire = onTheWire(testCase.event, testCase.args);
  const limit = MAX_CLIENT_MESSAGE_BYTES;
  let connection: 'stays' | 'closes' | 'either' = 'stays';
  if (wire.largestFrame > limit * 1.05 || wire.attachments > 10) connection = 'closes';
  else if (wire.largestFrame > limit * 0.95 || wire.placeholderLookalike) connection = 'either';
  return { connection, answer: answerTo(testCase.sender, testCase.event, wire.values, jobs) };
}

function answerTo(sender: Sender, event: string | number, values: unknown[], jobs: KnownJobs): 'ok' | ErrorCode {
  if (typeof event !== 'string' || !(CLIENT_EVENTS as readonly string[]).includes(event)) return 'route_not_found';
  if (values.length !== 1) return 'validation_failed';
  const [value] = values;
  switch (event) {
    case 'subscribe': {
      const parsed = subscribeRequestSchema.safeParse(value);
      if (!parsed.success) return 'validation_failed';
      if (sender === 'readonly') return 'forbidden';
      if (parsed.data.topic === 'workspace') return sender === 'jobToken' ? 'forbidden' : 'ok';
      const visible = sender === 'jobToken' ? [jobs.tokenJob] : jobs.mine;
      return visible.includes(parsed.data.id) ? 'ok' : 'not_found';
    }
    case 'unsubscribe':
      return subscribeRequestSchema.safeParse(value).success ? 'ok' : 'validation_failed';
    case 'presence':
    case 'typing': {
      const schema = event === 'presence' ? presenceRequestSchema : typingRequestSchema;
      if (!schema.safeParse(value).success) return 'validation_failed';
      return sender === 'full' ? 'ok' : 'forbidden';
    }
    default:
      return 'route_not_found';
  }
}

/** Problems with an answer's shape: `{ ok: true, … }` as the event promises, or exactly `{ ok: false, error: { code, message } }`. */
export function shapeProblems(event: string | number, answer: unknown): string[] {
  const problems: string[] = [];
  if (typeof answer !== 'object' || answer === null) return [`not an object: ${text(answer)}`];
  const record = answer as Record<string, unknown>;
  if (record.ok === true) {
    const keys = Object.keys(record).sort().join(',');
    const expected: Record<string, string> = {
      subscribe: 'ok,seq',
      unsubscribe: 'ok,seq',
      presence: 'members,ok',
      typing: 'ok',
    };
    if (keys !== expected[String(event)]) problems.push(`ok answer with keys ${keys}`);
    if ('seq' in record && !(Number.isSafeInteger(record.seq) && (record.seq as number) >= 0))
      problems.push(`seq ${text(record.seq)}`);
    if ('members' in record && !Array.isArray(record.members)) problems.push('members is not an array');
    return problems;
  }
  if (record.ok !== false || Object.keys(record).sort().join(',') !== 'error,ok')
    return [`not an answer: ${text(answer).slice(0, 300)}`];
  const error = record.error as Record<string, unknown> | null;
  if (typeof error !== 'object' || error === null || Object.keys(error).sort().join(',') !== 'code,message')
    return [`error is not { code, message }: ${text(error).slice(0, 300)}`];
  if (!(ERROR_CODES as readonly unknown[]).includes(error.code)) problems.push(`unknown code ${text(error.code)}`);
  if (typeof error.message !== 'string' || error.message.length === 0 || error.message.length > 600)
    problems.push(
      `message of ${typeof error.message === 'string' ? error.message.length : typeof error.message} characters`,
    );
  return problems;
}
