import { scaledDeploymentForFile } from './support/process-harness';
import { closeAllClients, finishedJobs, RealtimeClient, seqsOf } from './support/realtime-client';

// Several gateway processes on one Redis and one MongoDB, as in a scaled deployment: one process runs
// the API and the workers, two run only the gateway. Whichever gateway a client is on, it sees the
// same events; when its gateway dies, it resumes on the other with `since` and misses nothing.

const deployment = scaledDeploymentForFile();

afterEach(() => closeAllClients());

async function submitBatch(count: number, job: Record<string, unknown>): Promise<string[]> {
  const answer = await deployment.http.post('/v1/jobs/batch', { jobs: Array.from({ length: count }, () => job) });
  expect(answer.status).toBe(202);
  return (answer.body.jobs as { id: string }[]).map((submitted) => submitted.id);
}

describe('two gateway processes', () => {
  it('deliver the same events, with the same seqs, to a client on each', async () => {
    const onA = await RealtimeClient.connect(deployment.gateways[0].url, deployment.apiKey);
    const onB = await RealtimeClient.connect(deployment.gateways[1].url, deployment.apiKey);
    const ackA = await onA.subscribeOk({ topic: 'workspace' });
    expect(await onB.subscribeOk({ topic: 'workspace' })).toBe(ackA);

    const jobs = await submitBatch(5, { type: 'demo.sleep', payload: { ms: 300, steps: 3 } });
    await onA.waitForFinished(jobs);
    await onB.waitForFinished(jobs);

    const stream = (await deployment.streamOf(jobs[0]!)).filter((event) => event.seq > ackA);
    // Every event since subscribing, whole and in order, on both: the jobs' final events were the last.
    expect(seqsOf(onA.events)).toEqual(seqsOf(stream));
    expect(onA.events).toEqual(stream);
    expect(onB.events).toEqual(stream);
    for (const id of jobs) {
      expect(onA.eventsOf(id).map((event) => event.type)).toEqual(onB.eventsOf(id).map((event) => event.type));
      expect(onA.eventsOf(id).at(-1)).toMatchObject({ type: 'job.completed', job: { status: 'completed' } });
    }
  });

  it('let a client whose gateway is killed resume on the other one without losing or repeating an event', async () => {
    const [doomed, survivor] = deployment.gateways;
    const bystander = await RealtimeClient.connect(survivor.url, deployment.apiKey);
    const first = await RealtimeClient.connect(doomed.url, deployment.apiKey);
    const start = await first.subscribeOk({ topic: 'workspace' });
    await bystander.subscribeOk({ topic: 'workspace', since: start });

    // The client's own logic: when its connection drops, connect to the other gateway and resume
    // after the last seq it saw.
    const resumed = first.resumeWorkspaceOnDisconnect(survivor.url, deployment.apiKey, start);

    const jobs = await submitBatch(10, { type: 'demo.sleep', payload: { ms: 1500, steps: 5 } });
    await first.waitForEvents('the jobs to start', (events) => events.some((event) => event.type === 'job.active'));
    doomed.kill('SIGKILL');
    expect(await doomed.waitForExit()).toEqual({ code: null, signal: 'SIGKILL' });

    const second = await resumed;
    await second.client.waitForEvents('every job to finish', (events) => {
      const finished = finishedJobs([...first.events, ...events]);
      return jobs.every((id) => finished.has(id));
    });
    // The kill came while the jobs ran: some of their events reached only the second connection.
    expect(finishedJobs(first.events).size).toBeLessThan(jobs.length);
    expect(second.since).toBe(first.lastSeq(start));

    const received = [...first.events, ...second.client.events];
    const stream = (await deployment.streamOf(jobs[0]!)).filter((event) => event.seq > start);
    const seqs = seqsOf(received);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual(seqsOf(stream));
    expect(received).toEqual(stream);
    for (const id of jobs) {
      const events = received.filter((event) => event.jobId === id);
      expect(events[0]!.type).toBe('job.queued');
      expect(events.at(-1)).toMatchObject({ type: 'job.completed', job: { status: 'completed', progress: 100 } });
    }

    // A client on the surviving gateway never noticed.
    await bystander.waitForFinished(jobs);
    expect(bystander.connected).toBe(true);
    expect(bystander.events).toEqual(stream);
  });
});
