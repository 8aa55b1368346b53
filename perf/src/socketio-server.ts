/**
 * The realtime baseline: a bare Socket.IO 4 server on a plain `http` server that, when asked, emits
 * timestamped messages to a room at a steady rate — the fan-out our gateway does, without Redis,
 * authentication or an event stream. Run as a child process by the bench:
 *   node perf/dist/socketio-server.js --port <port>
 */
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Server } from 'socket.io';
import type { BroadcastClientEvents, BroadcastMessage, BroadcastServerEvents } from './realtime-listener';

const ROOM = 'bench';

const { values } = parseArgs({ options: { port: { type: 'string' } } });
if (!values.port) {
  console.error('usage: socketio-server --port <port>');
  process.exit(2);
}

const server = http.createServer((req, res) => {
  res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: req.url === '/healthz' ? 'ok' : 'not found' }));
});
const io = new Server<BroadcastClientEvents, BroadcastServerEvents>(server, { path: '/socket.io', serveClient: false });

io.on('connection', (socket) => {
  socket.on('join', (...args) => {
    const ack = args.length === 1 ? args[0] : args[1];
    void Promise.resolve(socket.join(ROOM)).then(() => ack({ ok: true }));
  });
  // `count` messages to the room, one every 1/perSecond s on a fixed schedule (a late one does not
  // shift the rest), each padded to about `bytes` of JSON like an event of ours.
  socket.on('broadcast', ({ count, perSecond, bytes }, ack) => {
    void (async () => {
      const intervalMs = 1000 / perSecond;
      const startedAt = performance.now();
      for (let index = 0; index < count; index++) {
        const wait = startedAt + index * intervalMs - performance.now();
        if (wait > 0) await sleep(wait);
        const message: BroadcastMessage = { seq: index + 1, at: new Date().toISOString(), pad: '' };
        message.pad = 'x'.repeat(Math.max(0, bytes - JSON.stringify(message).length));
        io.to(ROOM).emit('message', message);
      }
      ack({ sent: count });
    })();
  });
});

server.listen(Number(values.port), '127.0.0.1');

process.once('SIGTERM', () => {
  void io.close().finally(() => process.exit(0));
});
