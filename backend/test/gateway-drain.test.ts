import type { ReconnectNotice } from '@flightdeck/contract';
import { scaledDeploymentForFile, type FlightdeckProcess } from './support/process-harness';
import { finishedJobs, RealtimeClient, seqsOf } from './support/realtime-client';
import { waitFor } from './support/test-services';

// Graceful scale-in with real processes: one process runs the API and the workers, two run only the
// gateway. Gateway A gets SIGTERM while its clients watch running jobs: its readiness fails at once,
// it disconnects its sockets in batches over GATEWAY_DRAIN_MS, each told first to reconnect, and every
// client resumes on gateway B with `since`, missing nothing and seeing nothing twice.

const DRAIN_MS = 2_000;
const CLIENTS = 20;
const deployment = scaledDeploymentForFile({ GATEWAY_DRAIN_DELAY_MS: '0', GATEWAY_DRAIN_MS: String(DRAIN_MS) });

/** A client on the draining gateway, and what happened to it. */
interface Watcher {
  first: RealtimeClient;
  start: number;
  /** What the first connection saw, in order: the notice, then the disconnect. */
  timeline: { what: 'reconnect' | 'disconnect'; at: number; detail: string }[];
  resumed: Promise<{ client: RealtimeClient; since: number }>;
}

async function watch(doomed: FlightdeckProcess, survivor: FlightdeckProcess): Promise<Watcher> {
  const first = await RealtimeClient.connect(doomed.url, deployment.apiKey);
  const start = await first.subscribeOk({ topic: 'workspace' });
  const timeline: Watcher['timeline'] = [];
  first.socket.on('reconnect', (notice: ReconnectNotice) =>
    timeline.push({ what: 'reconnect', at: Date.now(), detail: notice.reason }),
  );
  // The client's own logic: when told to, or when the connection drops, resume elsewhere after the last seq seen.
  const resumed = first.resumeWorkspaceOnDisconnect(survivor.url, deployment.apiKey, start, (reason) =>
    timeline.push({ what: 'disconnect', at: Date.now(), detail: reason }),
  );
  return { first, start, timeline, resumed };
}

describe('a gateway told to stop (SIGTERM)', () => {
  it('fails readiness, then moves its clients to another gateway in batches, losing and repeating nothing', async () => {
    const [doomed, survivor] = deployment.gateways;
    const watchers = await Promise.all(Array.from({ length: CLIENTS }, () => watch(doomed, survivor)));

    const submitted = await deployment.http.post('/v1/jobs/batch', {
      jobs: Array.from({ length: 10 }, () => ({ type: 'demo.sleep', payload: { ms: 4000, steps: 20 } })),
    });
    expect(submitted.status).toBe(202);
    const jobs = (submitted.body.jobs as { id: string }[]).map((job) => job.id);
    await watchers[0]!.first.waitForEvents('the jobs to start', (events) =>
      events.some((event) => event.type === 'job.active'),
    );

    const sigterm = Date.now();
    doomed.kill('SIGTERM');

    // Readiness fails at once (as soon as the signal is handled): 503, or no connection at all (the
    // server stopped listening).
    const readiness = await waitFor(
      'readiness to fail',
      async () => {
        const answer = await fetch(`${doomed.url}/readyz`, { signal: AbortSignal.timeout(1_000) }).then(
          (response) => response.status,
          () => 'refused' as const,
        );
        return answer === 200 ? undefined : answer;
      },
      1_000,
      20,
    );
    expect([503, 'refused']).toContain(readiness);
    expect(Date.now() - sigterm).toBeLessThan(1_000);
    // Nor does it take new sockets while it drains.
    await expect(RealtimeClient.connect(doomed.url, deployment.apiKey)).rejects.toThrow();
    expect(watchers.filter((watcher) => watcher.first.connected).length).toBeGreaterThan(CLIENTS / 2);

    const resumed = await Promise.all(watchers.map((watcher) => watcher.resumed));
    expect(await doomed.waitForExit()).toEqual({ code: 0, signal: null });

    // Each client was told why, then disconnected by the server.
    for (const { timeline } of watchers) {
      expect(timeline.map((step) => [step.what, step.detail])).toEqual([
        ['reconnect', 'shutdown'],
        ['disconnect', 'io server disconnect'],
      ]);
    }
    // Not all at once: the disconnects span most of the drain window, in several batches.
    const times = watchers.map(({ timeline }) => timeline[1]!.at - sigterm).sort((a, b) => a - b);
    expect(times[0]!).toBeLessThan(DRAIN_MS / 2);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(DRAIN_MS / 2);
    expect(times.at(-1)!).toBeLessThan(DRAIN_MS + 3_000);
    const batches = times.filter((time, index) => index === 0 || time - times[index - 1]! > DRAIN_MS / 20).length;
    expect(batches).toBeGreaterThanOrEqual(5);
    // The first half left well before the last did.
    expect(times[CLIENTS / 2 - 1]!).toBeLessThan(times.at(-1)! - DRAIN_MS / 4);

    for (const [index, watcher] of watchers.entries()) {
      const second = resumed[index]!;
      expect(second.since).toBe(watcher.first.lastSeq(watcher.start));
      await waitFor(
        `client ${index} to see every job finish`,
        () => {
          const finished = finishedJobs([...watcher.first.events, ...second.client.events]);
          return jobs.every((id) => finished.has(id));
        },
        30_000,
        20,
      );
      const received = [...watcher.first.events, ...second.client.events];
      const stream = (await deployment.streamOf(jobs[0]!)).filter((event) => event.seq > watcher.start);
      const seqs = seqsOf(received);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs).toEqual(seqsOf(stream));
      expect(received).toEqual(stream);
      for (const id of jobs) {
        expect(received.filter((event) => event.jobId === id).at(-1)).toMatchObject({
          type: 'job.completed',
          job: { status: 'completed', progress: 100 },
        });
      }
    }
    // The jobs ran through the drain: some of their events reached clients only on gateway B.
    expect(watchers.every((watcher) => finishedJobs(watcher.first.events).size < jobs.length)).toBe(true);
    expect(doomed.logRecords().some((record) => record.msg === 'draining sockets')).toBe(true);
  });
});
