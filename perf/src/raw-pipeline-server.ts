/**
 * The end-to-end baseline of the same shape as Flightdeck, from plain parts: a bare Express batch
 * endpoint with one BullMQ `addBulk`, a plain BullMQ no-op `Worker` in a second process, and a bare
 * Socket.IO server that relays BullMQ's own `completed` events (`QueueEvents`) to subscribed sockets
 * — no authentication, validation, event stream of its own, snapshots or history. It speaks just
 * enough of Flightdeck's realtime protocol (`subscribe` with an ack, `event` with a growing `seq`)
 * for the bench's listener to measure both alike. Run as two child processes by the bench:
 *   node perf/dist/raw-pipeline-server.js --role api --port <port> --redis-url <url> --prefix <prefix> --queue <name>
 *   node perf/dist/raw-pipeline-server.js --role worker --port <port> --redis-url <url> --prefix <prefix> --queue <name> --concurrency <n>
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import { Queue, QueueEvents, Worker } from 'bullmq';
import express from 'express';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';

const ROOM = 'subscribers';
/** BullMQ's events stream keeps 10,000 by default; a burst of the bench's size must not be trimmed before it is read. */
const EVENTS_MAX_LEN = 200_000;

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    port: { type: 'string' },
    'redis-url': { type: 'string' },
    prefix: { type: 'string' },
    queue: { type: 'string' },
    concurrency: { type: 'string', default: '50' },
  },
});
const { role, port, 'redis-url': redisUrl, prefix, queue: queueName } = values;
if ((role !== 'api' && role !== 'worker') || !port || !redisUrl || !prefix || !queueName) {
  console.error(
    'usage: raw-pipeline-server --role api|worker --port <port> --redis-url <url> --prefix <prefix> --queue <name> [--concurrency <n>]',
  );
  process.exit(2);
}

const { hostname, port: redisPort } = new URL(redisUrl);
/** BullMQ's own connections (the worker's and QueueEvents' block on reads). */
const bullConnection = { host: hostname, port: Number(redisPort), maxRetriesPerRequest: null };
const closers: (() => Promise<unknown>)[] = [];

async function startApi(): Promise<void> {
  const connection = new Redis(redisUrl!, { maxRetriesPerRequest: 1 });
  connection.on('error', (error) => console.error('redis error:', error.message));
  const queue = new Queue(queueName!, { connection, prefix, streams: { events: { maxLen: EVENTS_MAX_LEN } } });

  const app = express();
  app.disable('x-powered-by');
  app.get('/readyz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.post('/v1/jobs/batch', express.json({ limit: '10mb' }), async (req, res) => {
    const { jobs } = req.body as { jobs: { type: string; payload?: Record<string, unknown> }[] };
    const added = await queue.addBulk(jobs.map((job) => ({ name: job.type, data: { payload: job.payload ?? {} } })));
    res.status(202).json({ jobs: added.map((job) => ({ id: job.id })) });
  });
  const server = http.createServer(app);
  const io = new Server(server, { path: '/socket.io', serveClient: false });
  io.on('connection', (socket) => {
    socket.on('subscribe', (_topic: unknown, ack: (answer: { ok: true; seq: number }) => void) => {
      void Promise.resolve(socket.join(ROOM)).then(() => ack({ ok: true, seq }));
    });
  });

  let seq = 0;
  const events = new QueueEvents(queueName!, { connection: bullConnection, prefix });
  events.on('error', (error) => console.error('queue events error:', error.message));
  events.on('completed', ({ jobId }) => {
    const at = new Date().toISOString();
    io.to(ROOM).emit('event', {
      seq: ++seq,
      type: 'job.completed',
      jobId,
      job: { id: jobId, status: 'completed', finishedAt: at },
      at,
    });
  });
  await events.waitUntilReady();
  server.listen(Number(port), '127.0.0.1');
  closers.push(
    () => io.close(),
    () => events.close(),
    () => queue.close(),
    () => connection.quit(),
  );
}

async function startWorker(): Promise<void> {
  const worker = new Worker(queueName!, async () => undefined, {
    connection: bullConnection,
    prefix,
    concurrency: Number(values.concurrency),
  });
  worker.on('error', (error) => console.error('worker error:', error.message));
  await worker.waitUntilReady();
  const server = http.createServer((req, res) => {
    res.writeHead(req.url === '/readyz' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: req.url === '/readyz' ? 'ok' : 'not found' }));
  });
  server.listen(Number(port), '127.0.0.1');
  closers.push(
    () => worker.close(),
    () => new Promise((resolve) => server.close(resolve)),
  );
}

(role === 'api' ? startApi() : startWorker()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

process.once('SIGTERM', () => {
  void Promise.allSettled(closers.map((close) => close())).finally(() => process.exit(0));
});
