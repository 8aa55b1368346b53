import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import pino from 'pino';
import type { Socket } from 'socket.io';
import { z } from 'zod';
import type { ErrorBody } from '@flightdeck/contract';
import type { Authenticator } from '../src/accounts/authenticator';
import { errorHandler } from '../src/api/error-handler';
import { conflict, HttpError, notFound, serviceUnavailable, tooManyRequests } from '../src/api/http-errors';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  LimitReachedError,
  NotFoundError,
  ThrottledError,
  TooLargeError,
  UnavailableError,
  type DomainError,
} from '../src/domain-errors';
import { answerOf } from '../src/edge/error-answers';
import { handshakeAuthenticator, type Handshaking, type HandshakeOptions } from '../src/gateway/socket-handshake';
import { failureOf, onRequest } from '../src/gateway/socket-input';

// Domain errors (issue 16): services throw what went wrong, with the contract's code and no status;
// the edge maps each kind to one status, and REST and the socket gateway answer with the same body.

const silent = pino({ level: 'silent' });

interface Case {
  error: DomainError;
  status: number;
  body: ErrorBody;
  retryAfter?: string;
}

const CASES: Case[] = [
  {
    error: new InvalidInputError('validation_failed', 'cursor is not valid', [
      { path: 'cursor', message: 'unknown cursor' },
    ]),
    status: 422,
    body: {
      error: {
        code: 'validation_failed',
        message: 'cursor is not valid',
        issues: [{ path: 'cursor', message: 'unknown cursor' }],
      },
    },
  },
  {
    error: new InvalidInputError('weak_password', 'too short'),
    status: 422,
    body: { error: { code: 'weak_password', message: 'too short' } },
  },
  {
    error: new ForbiddenError('only its creator can'),
    status: 403,
    body: { error: { code: 'forbidden', message: 'only its creator can' } },
  },
  {
    error: new NotFoundError('schedule s1 not found'),
    status: 404,
    body: { error: { code: 'not_found', message: 'schedule s1 not found' } },
  },
  {
    error: new NotFoundError('no account has this email', 'user_not_found'),
    status: 404,
    body: { error: { code: 'user_not_found', message: 'no account has this email' } },
  },
  {
    error: new ConflictError('last_owner', 'a workspace needs an owner'),
    status: 409,
    body: { error: { code: 'last_owner', message: 'a workspace needs an owner' } },
  },
  {
    error: new LimitReachedError('at most 50 saved views'),
    status: 409,
    body: { error: { code: 'limit_reached', message: 'at most 50 saved views' } },
  },
  {
    error: new TooLargeError('an artifact holds at most 10 bytes'),
    status: 413,
    body: { error: { code: 'payload_too_large', message: 'an artifact holds at most 10 bytes' } },
  },
  {
    error: new ThrottledError('too many requests', 2.2),
    status: 429,
    body: { error: { code: 'rate_limited', message: 'too many requests' } },
    retryAfter: '3',
  },
  {
    error: new ThrottledError('too many pending jobs', 5, 'quota_exceeded'),
    status: 429,
    body: { error: { code: 'quota_exceeded', message: 'too many pending jobs' } },
    retryAfter: '5',
  },
  {
    error: new UnavailableError('the job scheduler is unavailable'),
    status: 503,
    body: { error: { code: 'service_unavailable', message: 'the job scheduler is unavailable' } },
    retryAfter: '1',
  },
];

const named = CASES.map((c) => [`${c.error.name} ${c.error.code}`, c] as const);

describe('the one mapping (edge/error-answers)', () => {
  it.each(named)('%s → status, body and Retry-After', (_name, c) => {
    const answer = answerOf(c.error);
    expect(answer.status).toBe(c.status);
    expect(answer.body).toEqual(c.body);
    expect(answer.headers).toEqual(c.retryAfter ? { 'retry-after': c.retryAfter } : undefined);
    expect(answer.retryAfterSeconds).toBe(c.retryAfter ? Number(c.retryAfter) : undefined);
  });

  it('domain errors carry no HTTP status of their own', () => {
    for (const { error } of CASES) {
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toHaveProperty('status');
    }
  });
});

describe('REST: the error handler answers domain errors', () => {
  let server: Server;
  let base: string;
  let thrown: unknown;

  beforeAll(async () => {
    const app = express();
    app.get('/throw', () => {
      throw thrown;
    });
    app.use(errorHandler(silent));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const answerTo = async (error: unknown) => {
    thrown = error;
    const response = await fetch(`${base}/throw`);
    return { status: response.status, body: await response.json(), retryAfter: response.headers.get('retry-after') };
  };

  it.each(named)('%s', async (_name, c) => {
    expect(await answerTo(c.error)).toEqual({ status: c.status, body: c.body, retryAfter: c.retryAfter ?? null });
  });

  it('answers the HTTP factories (a thin layer over the domain errors) exactly as before', async () => {
    expect(await answerTo(notFound('job j1 not found'))).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'job j1 not found' } },
      retryAfter: null,
    });
    expect(await answerTo(conflict('job_not_cancellable', 'a completed job cannot be cancelled'))).toEqual({
      status: 409,
      body: { error: { code: 'job_not_cancellable', message: 'a completed job cannot be cancelled' } },
      retryAfter: null,
    });
    expect(await answerTo(tooManyRequests('slow down', 0.2))).toMatchObject({ status: 429, retryAfter: '1' });
    expect(await answerTo(serviceUnavailable('Redis is reconnecting'))).toMatchObject({ status: 503, retryAfter: '1' });
    expect(await answerTo(new HttpError(415, 'unsupported_media_type', 'send JSON'))).toMatchObject({
      status: 415,
      body: { error: { code: 'unsupported_media_type' } },
    });
  });

  it('answers anything else 500 internal_error', async () => {
    expect(await answerTo(new Error('a bug'))).toEqual({
      status: 500,
      body: { error: { code: 'internal_error', message: 'something went wrong on our side' } },
      retryAfter: null,
    });
  });
});

describe('gateway: acks and connect_error carry the same body', () => {
  it.each(named)('%s as an ack failure', (_name, c) => {
    expect(failureOf(c.error)).toEqual({ ok: false, ...c.body });
  });

  it('a handler that throws a domain error is answered with it, not internal_error', async () => {
    const handlers = new Map<string, (...args: unknown[]) => void>();
    const socket = { on: (event: string, handler: (...args: unknown[]) => void) => handlers.set(event, handler) };
    onRequest(socket as unknown as Socket, 'subscribe', z.object({}), silent, async () => {
      throw new NotFoundError('job j1 not found');
    });
    const acked = new Promise((resolve) => handlers.get('subscribe')!({}, resolve));
    expect(await acked).toEqual({ ok: false, error: { code: 'not_found', message: 'job j1 not found' } });
  });

  it('a handshake refused by a domain error is a connect_error with its code, message and retryAfterSeconds', async () => {
    const authenticator = {
      caller: async () => {
        throw new ThrottledError('too many sign-ins', 7);
      },
    } as unknown as Authenticator;
    const authenticate = handshakeAuthenticator({
      authenticator,
      allowedOrigins: [],
      handshakesPerIp: 0,
      handshakeWindowSeconds: 1,
      trustProxy: 0,
      logger: silent,
    } as unknown as HandshakeOptions);
    const refusal = await authenticate({
      request: { socket: { remoteAddress: '127.0.0.1' }, headers: {} },
      handshake: { auth: { token: 'fd_key' }, headers: {} },
    } as unknown as Handshaking);
    expect(refusal).toBeInstanceOf(Error);
    expect(refusal).toMatchObject({
      message: 'rate_limited: too many sign-ins',
      data: { code: 'rate_limited', message: 'too many sign-ins', retryAfterSeconds: 7 },
    });
  });
});
