import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PORTS, REPO_ROOT, RUN } from './lab-env';
import { portAnswers, startLabProcess, waitUntil, type LabProcess } from './processes';

// Flightdeck's own Redis and MongoDB in the lab — production's managed services: Redis with AOF and
// noeviction as docs/deployment.md asks, FerretDB for MongoDB (what this machine can run). Both
// fresh for each run, on the loopback ports the lab overlay's Secret names.

export interface FlightdeckServices {
  stop(): Promise<void>;
}

export async function startFlightdeckServices(): Promise<FlightdeckServices> {
  const logDir = path.join(RUN, 'logs');
  const dir = (name: string) => {
    const folder = path.join(RUN, name);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    return folder;
  };
  const started: LabProcess[] = [];
  started.push(
    startLabProcess(
      'redis',
      'redis-server',
      [
        '--port',
        String(PORTS.redis),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir('redis'),
        '--appendonly',
        'yes',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
      ],
      { logDir },
    ),
  );
  const ferretdb = path.join(REPO_ROOT, '.tools', 'bin', 'ferretdb');
  const data = dir('ferretdb');
  started.push(
    startLabProcess(
      'ferretdb',
      ferretdb,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${data}/`,
        `--listen-addr=127.0.0.1:${PORTS.mongodb}`,
        `--state-dir=${data}`,
        '--telemetry=disable',
        '--debug-addr=-',
        '--log-level=warn',
      ],
      { logDir },
    ),
  );
  await waitUntil('Redis', () => portAnswers(PORTS.redis), 30_000);
  await waitUntil('FerretDB', () => portAnswers(PORTS.mongodb), 30_000);
  return {
    async stop() {
      for (const service of started.reverse()) await service.stop(10_000);
    },
  };
}
