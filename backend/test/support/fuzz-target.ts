import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import pino from 'pino';
import type { Socket } from 'socket.io-client';
import { ulid } from 'ulid';
import { API_KEY_SCOPES, type PresenceSnapshot, type StreamEvent, type TypingNotice } from '@flightdeck/contract';
import { createApiKey, generateApiKey } from '../../src/accounts/api-keys';
import { loadConfig } from '../../src/config';
import { WorkspaceModel } from '../../src/db/models';
import { startFlightdeck } from '../../src/flightdeck';
import { httpClient, type HttpClient } from './http-client';
import { RealtimeClient } from './realtime-client';
import type { Sender } from './socket-fuzz';
import { testNamespace, waitFor } from './test-services';

// The server the socket fuzz runs against, and the sockets it fuzzes with: an in-process Flightdeck
// whose log is kept, and two workspaces — alpha, which the fuzz speaks for, and bravo, which watches.

export const ACK_MS = 5_000;

export interface LogRecord {
  level: number;
  msg?: string;
  [field: string]: unknown;
}

export interface FuzzWorkspace {
  id: string;
  /** As its `full` key. */
  http: HttpClient;
  /** Its API keys by name (each named `<workspace>-<name>`, which presence and typing show). */
  keys: Record<string, string>;
  /** Every job submitted in it. */
  jobs: Set<string>;
}

export interface FuzzTarget {
  url: string;
  /** Every record the server logged at `warn` and above. */
  logs: LogRecord[];
  /** Unhandled rejections and uncaught exceptions in this process (the server's included) while it ran. */
  faults: unknown[];
  /** Keys `full` (every scope) and `readonly` (no jobs:read or jobs:write); three jobs. */
  alpha: FuzzWorkspace;
  /** Keys `full`, `watch` and `chatter`; three jobs. */
  bravo: FuzzWorkspace;
  /** One of alpha's jobs, and a job token for it. */
  tokenJob: string;
  jobToken: string;
  submit(into: FuzzWorkspace, ms?: number): Promise<string>;
  stop(): Promise<void>;
}

/** Starts Flightdeck on a fresh namespace of the test services with `SOCKET_EVENTS_PER_SECOND` set, and its workspaces. */
export async function startFuzzTarget(eventsPerSecond: number): Promise<FuzzTarget> {
  const faults: unknown[] = [];
  const onFault = (fault: unknown) => faults.push(fault);
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
    SOCKET_EVENTS_PER_SECOND: String(eventsPerSecond),
  });
  const logs: LogRecord[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogRecord) });
  const flightdeck = await startFlightdeck(config, logger);
  const url = `http://127.0.0.1:${flightdeck.port}`;

  async function workspace(name: string, keys: Record<string, readonly string[]>): Promise<FuzzWorkspace> {
    const id = ulid();
    await WorkspaceModel.create({ _id: id, slug: `${name}-${id.toLowerCase()}`, name });
    const made: Record<string, string> = {};
    for (const [keyName, scopes] of Object.entries(keys)) {
      made[keyName] = generateApiKey();
      await createApiKey({ workspaceId: id, name: `${name}-${keyName}`, key: made[keyName]!, scopes });
    }
    return { id, http: httpClient(url, made.full), keys: made, jobs: new Set() };
  }

  async function submit(into: FuzzWorkspace, ms = 100): Promise<string> {
    const answer = await into.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms, steps: 2 } });
    if (answer.status !== 202) throw new Error(`submit: ${answer.status} ${JSON.stringify(answer.body)}`);
    into.jobs.add(answer.body.id as string);
    return answer.body.id as string;
  }

  const alpha = await workspace('alpha', { full: API_KEY_SCOPES, readonly: ['queues:read'] });
  const bravo = await workspace('bravo', { full: API_KEY_SCOPES, watch: API_KEY_SCOPES, chatter: API_KEY_SCOPES });
  for (let index = 0; index < 3; index++) await Promise.all([submit(alpha), submit(bravo)]);
  const tokenJob = [...alpha.jobs][0]!;
  const token = await alpha.http.post(`/v1/jobs/${tokenJob}/token`, {});
  if (token.status !== 201) throw new Error(`job token: ${token.status}`);
  return {
    url,
    logs,
    faults,
    alpha,
    bravo,
    tokenJob,
    jobToken: token.body.token as string,
    submit,
    async stop() {
      await flightdeck.stop();
      process.off('unhandledRejection', onFault);
      process.off('uncaughtException', onFault);
    },
  };
}

/** What a set of sockets received, across reconnects. */
export class Inbox {
  readonly events: StreamEvent[] = [];
  readonly presence: PresenceSnapshot[] = [];
  readonly typing: TypingNotice[] = [];

  listen(client: RealtimeClient): RealtimeClient {
    client.socket.on('event', (event) => this.events.push(event));
    client.socket.on('presence', (snapshot) => this.presence.push(snapshot));
    client.socket.on('typing', (notice) => this.typing.push(notice));
    return client;
  }

  /** The names of the people and keys in every presence snapshot and typing notice received. */
  names(): string[] {
    return [
      ...this.presence.flatMap((snapshot) => snapshot.members.map((member) => member.name)),
      ...this.typing.map((notice) => notice.user.name),
    ];
  }
}

/** The fuzzing sockets of workspace alpha, one per sender, reopened after the gateway closes one. */
export class Senders {
  private readonly open = new Map<Sender, RealtimeClient>();
  reconnects = 0;

  constructor(
    private readonly target: FuzzTarget,
    /** Each sender's own, so that what a job token's socket receives can be told apart. */
    readonly inboxes: Record<Sender, Inbox>,
  ) {}

  async get(sender: Sender): Promise<RealtimeClient> {
    const current = this.open.get(sender);
    if (current?.connected) return current;
    if (current) {
      current.close();
      this.reconnects++;
    }
    const token = sender === 'jobToken' ? this.target.jobToken : this.target.alpha.keys[sender]!;
    const client = this.inboxes[sender].listen(await RealtimeClient.connect(this.target.url, token));
    this.open.set(sender, client);
    return client;
  }

  closeAll(): void {
    for (const client of this.open.values()) client.close();
    this.open.clear();
  }
}

/** The client's socket without the contract's types, to send anything. */
export const untyped = (client: RealtimeClient) => client.socket as unknown as Socket;

/**
 * Sends a harmless request with an ack on the same socket: a socket's events are handled in order,
 * so its answer means whatever came before was handled. A timeout (with the error) is a hang.
 */
export async function ping(client: RealtimeClient): Promise<'answered' | 'disconnected' | { timeout: unknown }> {
  if (!client.connected) return 'disconnected';
  try {
    await untyped(client).timeout(ACK_MS).emitWithAck('unsubscribe', { topic: 'job', id: 'ping' });
    return 'answered';
  } catch (error) {
    return client.connected ? { timeout: error } : 'disconnected';
  }
}

/** Whether the client gets disconnected within 3 s. */
export const closed = (client: RealtimeClient) =>
  waitFor('the sender to be disconnected', () => !client.connected, 3_000, 10).then(
    () => true,
    () => false,
  );

/** A generated case, short enough for a failure message (long strings cut, the whole capped). */
export const describeCase = (value: unknown) => {
  const shown = JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'string' && item.length > 80 ? `${item.slice(0, 40)}…(${item.length})` : item,
  );
  return shown.length > 600 ? `${shown.slice(0, 600)}…` : shown;
};

/**
 * Runs a property without shrinking (each run costs round trips) and fails with our own short
 * description of the case: fast-check's would print megabytes of generated strings.
 */
export async function check<T>(property: fc.IAsyncProperty<T>, numRuns: number, seed: number): Promise<void> {
  const details = await fc.check(property, { numRuns, seed, endOnFailure: true });
  if (!details.failed) return;
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(
    `run ${details.numRuns} of ${numRuns} failed (seed ${details.seed}, path ${details.counterexamplePath}):\n${cause}`,
  );
}
