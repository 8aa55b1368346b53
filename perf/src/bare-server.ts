/**
 * The baseline: a bare Express 5 endpoint that parses JSON, makes one BullMQ `queue.add` and answers
 * 202. Run as a child process by the bench:
 *   node perf/dist/bare-server.js --port <port> --redis-url <url> --prefix <prefix> --queue <name>
 */
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import express from 'express';
import { Redis } from 'ioredis';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'redis-url': { type: 'string' },
    prefix: { type: 'string' },
    queue: { type: 'string' },
  },
});
const { port, 'redis-url': redisUrl, prefix, queue: queueName } = values;
if (!port || !redisUrl || !prefix || !queueName) {
  console.error('usage: bare-server --port <port> --redis-url <url> --prefix <prefix> --queue <name>');
  process.exit(2);
}

// The same kind of producer connection as Flightdeck's API: fail fast instead of queueing commands.
const connection = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
connection.on('error', (error) => console.error('redis error:', error.message));
const queue = new Queue(queueName, { connection, prefix });

const app = express();
app.disable('x-powered-by');
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
app.post('/jobs', express.json(), async (req, res) => {
  const { type, payload } = req.body as { type: string; payload?: Record<string, unknown> };
  const job = await queue.add(type, { payload: payload ?? {} });
  res.status(202).json({ id: job.id });
});

const server = app.listen(Number(port), '127.0.0.1');
server.keepAliveTimeout = 65_000;

process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  queue
    .close()
    .then(() => connection.quit())
    .finally(() => process.exit(0));
});
