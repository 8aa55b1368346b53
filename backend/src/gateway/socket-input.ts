import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { CLIENT_EVENTS, type ClientEventName, type ErrorBody, type ErrorCode } from '@flightdeck/contract';
import { DomainError } from '../domain-errors';
import { answerOf } from '../edge/error-answers';

/**
 * The boundary between a socket's raw packets and the gateway: whatever a client sends (any event
 * name, any number of arguments, any JSON or binary value), each event is either refused with one
 * clear ack or handed to its handler as a validated request with an ack that is always callable.
 */

/**
 * The largest message a client may send (engine.io's `maxHttpBufferSize`). Client events are small
 * JSON requests (a subscribe is under 100 bytes); engine.io closes the connection of a client that
 * sends more, before parsing it. Clients learn the limit in the handshake (`maxPayload`) and split
 * their long-polling batches to fit, so a burst of subscribes after a reconnect still goes through.
 */
export const MAX_CLIENT_MESSAGE_BYTES = 64 * 1024;

/** What of the client's input an answer may quote (a key, an event name) is cut to this length. */
const MAX_TEXT = 200;

export type Failure = { ok: false } & ErrorBody;

export const failure = (code: ErrorCode, message: string): Failure => ({ ok: false, error: { code, message } });

/** A domain error as an ack: the same code, message and issues REST answers it with. */
export const failureOf = (error: DomainError): Failure => ({ ok: false, ...answerOf(error).body });

type Ack = (answer: unknown) => void;

const ignore: Ack = () => undefined;

const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

/**
 * Socket.io appends the ack callback as the last argument when the client asked for one; nothing else
 * a client sends can be a function. So the ack is the last argument if that is a function, whatever
 * came before it.
 */
export function splitAck(args: readonly unknown[]): { payload: unknown[]; ack: Ack | undefined } {
  const last = args.at(-1);
  if (typeof last === 'function') return { payload: args.slice(0, -1), ack: last as Ack };
  return { payload: [...args], ack: undefined };
}

const isClientEvent = (name: unknown): name is ClientEventName =>
  typeof name === 'string' && (CLIENT_EVENTS as readonly string[]).includes(name);

/** A fixed one-second window per socket: synchronous, so the order of a socket's events is kept. */
export class EventBudget {
  private windowStart = 0;
  private spent = 0;

  constructor(private readonly perSecond: number) {}

  spend(now = Date.now()): boolean {
    if (now - this.windowStart >= 1_000) {
      this.windowStart = now;
      this.spent = 0;
    }
    return ++this.spent <= this.perSecond;
  }
}

/**
 * Runs before any handler, for every event the socket sends: past SOCKET_EVENTS_PER_SECOND the event
 * is refused (`rate_limited`) and not processed; a name that is not a client event (including numbers,
 * which Socket.io's parser allows) is refused with `route_not_found`. Either refusal goes to the ack
 * when there is one, and nowhere otherwise. Unknown events count against the budget too.
 */
export function guardIncomingEvents(socket: Socket, eventsPerSecond: number): void {
  const budget = new EventBudget(eventsPerSecond);
  socket.use((packet, next) => {
    const [name, ...args] = packet as unknown[];
    const { ack } = splitAck(args);
    if (!budget.spend()) {
      return ack?.(failure('rate_limited', 'too many events from this connection; slow down'));
    }
    if (!isClientEvent(name)) {
      // Quoted as JSON (control characters visible), then cut: escaping can make a name six times longer.
      const shown = clip(typeof name === 'string' ? JSON.stringify(name) : String(name));
      return ack?.(failure('route_not_found', `unknown event ${shown}; events: ${CLIENT_EVENTS.join(', ')}`));
    }
    next();
  });
}

/** A handler's answer: `ok` answers or failures; a no-op when the client passed no ack. */
export type Answer<A> = (answer: A | Failure) => void;

/**
 * Registers the handler of a client event: the event must carry exactly one argument (plus the ack)
 * that `schema` accepts, else the ack is `validation_failed` naming what is wrong, and the handler
 * does not run. A handler that throws or rejects a domain error is answered with it (as REST would);
 * anything else is logged and answered `internal_error`, never left to become an unhandled rejection
 * (which would end the process).
 */
export function onRequest<S extends z.ZodType, A>(
  socket: Socket,
  event: ClientEventName,
  schema: S,
  logger: Logger,
  handle: (request: z.infer<S>, answer: Answer<A>) => void | Promise<void>,
): void {
  socket.on(event, (...args: unknown[]) => {
    const { payload, ack } = splitAck(args);
    const answer: Answer<A> = ack ?? ignore;
    if (payload.length !== 1) {
      return answer(
        failure('validation_failed', `${event} takes one request object (and an ack); got ${payload.length} arguments`),
      );
    }
    const parsed = schema.safeParse(payload[0]);
    if (!parsed.success) {
      // The first problem only, cut short: issues may quote a key the client sent, of any length.
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${clip(issue.path.map(String).join('.'))}: ` : '';
      return answer(
        failure('validation_failed', `invalid ${event} request: ${where}${clip(issue?.message ?? 'rejected')}`),
      );
    }
    const failed = (error: unknown) => {
      if (error instanceof DomainError) return answer(failureOf(error));
      logger.error({ err: error, event }, 'socket event handler failed');
      answer(failure('internal_error', `${event} failed; try again`));
    };
    try {
      void Promise.resolve(handle(parsed.data as z.infer<S>, answer)).catch(failed);
    } catch (error) {
      failed(error);
    }
  });
}
