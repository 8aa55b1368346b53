import type { PresenceAck, PresenceSnapshot, TypingNotice } from '@flightdeck/contract';
import { startTestFlightdeck, type Person, type TestFlightdeck } from './support/flightdeck-harness';
import { waitForJobStatus } from './support/http-client';
import { RealtimeClient } from './support/realtime-client';
import { waitFor } from './support/test-services';

let app: TestFlightdeck;
let owner: Person;
let ada: Person;
let bob: Person;

beforeAll(async () => {
  app = await startTestFlightdeck();
  owner = await app.signup('Olivia Owner');
  ada = await app.signup('Ada');
  bob = await app.signup('Bob');
  await owner.http.post('/v1/members', { email: ada.user.email, role: 'member' });
  await owner.http.post('/v1/members', { email: bob.user.email, role: 'member' });
});
afterAll(() => app.stop());

/** A person's socket in the owner's workspace, as the console opens it. */
const socketOf = (person: Person) =>
  RealtimeClient.open(app.url, {
    auth: { workspace: owner.slug },
    headers: { cookie: person.cookie, origin: app.url },
  });

const submit = async (payload: Record<string, unknown>) => {
  const answer = await owner.http.post('/v1/jobs', { type: 'demo.sleep', payload });
  expect(answer.status).toBe(202);
  return answer.body.id as string;
};

describe('comments', () => {
  it('are posted, listed oldest first, and pushed to the workspace stream with their author', async () => {
    const watcher = await socketOf(owner);
    await watcher.subscribeOk({ topic: 'workspace' });
    const jobId = await submit({ ms: 0 });
    await waitForJobStatus(owner.http, jobId, 'completed');

    const posted = await ada
      .in(owner.slug)
      .post(`/v1/jobs/${jobId}/comments`, { body: '  upstream timed out, retrying after 10:00 ' });
    expect(posted.status).toBe(201);
    expect(posted.body).toEqual({
      id: expect.any(String),
      jobId,
      body: 'upstream timed out, retrying after 10:00',
      author: { type: 'user', id: ada.user.id, name: 'Ada' },
      createdAt: expect.any(String),
    });
    await bob.in(owner.slug).post(`/v1/jobs/${jobId}/comments`, { body: 'thanks' });

    const event = await watcher.waitForEvent(
      'comment.created',
      (e) => e.type === 'comment.created' && e.jobId === jobId,
    );
    expect(event.comment).toEqual(posted.body);
    expect(event.actor).toEqual({ type: 'user', id: ada.user.id, name: 'Ada' });
    // A finished job's last event still carries its final state, comments after it included.
    expect(event.job).toMatchObject({ id: jobId, type: 'demo.sleep', status: 'completed', result: { slept: 0 } });

    const list = await owner.http.get(`/v1/jobs/${jobId}/comments`);
    expect(list.body.items.map((c: { body: string }) => c.body)).toEqual([
      'upstream timed out, retrying after 10:00',
      'thanks',
    ]);
    const page = await owner.http.get(`/v1/jobs/${jobId}/comments?limit=1`);
    expect(page.body.items).toHaveLength(1);
    const rest = await owner.http.get(`/v1/jobs/${jobId}/comments?limit=1&cursor=${page.body.nextCursor}`);
    expect(rest.body.items[0].body).toBe('thanks');

    expect((await ada.in(owner.slug).post(`/v1/jobs/${jobId}/comments`, { body: '   ' })).status).toBe(422);
    expect((await ada.in(owner.slug).post('/v1/jobs/nope/comments', { body: 'x' })).status).toBe(404);
    const stranger = await app.signup('Stranger');
    expect((await stranger.http.get(`/v1/jobs/${jobId}/comments`)).status).toBe(404);
    watcher.close();
  });
});

describe('claims', () => {
  it('of two people claiming at the same instant, exactly one wins, every time', async () => {
    for (let round = 0; round < 5; round++) {
      const jobId = await submit({ ms: 0, fail: true });
      const [first, second] = await Promise.all([
        ada.in(owner.slug).post(`/v1/jobs/${jobId}/claim`),
        bob.in(owner.slug).post(`/v1/jobs/${jobId}/claim`),
      ]);
      const statuses = [first.status, second.status].sort();
      expect(statuses).toEqual([200, 409]);
      const winner = first.status === 200 ? first : second;
      const loser = first.status === 200 ? second : first;
      expect(loser.body.error.code).toBe('job_claimed');
      expect(loser.body.error.message).toContain(winner.body.claimedBy.name);
      const job = await owner.http.get(`/v1/jobs/${jobId}`);
      expect(job.body.claimedBy).toEqual(winner.body.claimedBy);
    }
  });

  it('are announced, shown on the job, released by the holder or an admin only, and listed by history', async () => {
    const watcher = await socketOf(owner);
    await watcher.subscribeOk({ topic: 'workspace' });
    const jobId = await submit({ ms: 0, fail: true });
    await waitForJobStatus(owner.http, jobId, 'failed');

    const claimed = await ada.in(owner.slug).post(`/v1/jobs/${jobId}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body.claimedBy).toEqual({ id: ada.user.id, name: 'Ada', at: expect.any(String) });
    expect((await ada.in(owner.slug).post(`/v1/jobs/${jobId}/claim`)).status).toBe(200);
    const event = await watcher.waitForEvent('job.claimed', (e) => e.type === 'job.claimed' && e.jobId === jobId);
    expect(event.claimedBy).toEqual(claimed.body.claimedBy);
    expect(event.actor?.name).toBe('Ada');

    const refused = await bob.in(owner.slug).delete(`/v1/jobs/${jobId}/claim`);
    expect(refused.status).toBe(403);
    // The claim stays through later state changes: a retry's events carry it.
    const retried = await bob.in(owner.slug).post(`/v1/jobs/${jobId}/retry`);
    expect(retried.body.claimedBy?.id).toBe(ada.user.id);
    await waitForJobStatus(owner.http, jobId, 'failed');
    const list = await waitFor('the claim in the job list', async () => {
      const page = await owner.http.get('/v1/jobs?status=failed&limit=200');
      const item = page.body.items.find((j: { id: string }) => j.id === jobId);
      return item?.claimedBy ? item : null;
    });
    expect(list.claimedBy.name).toBe('Ada');

    const released = await owner.http.delete(`/v1/jobs/${jobId}/claim`);
    expect(released.status).toBe(200);
    expect(released.body.claimedBy).toBeNull();
    const releasedEvent = await watcher.waitForEvent(
      'job.released',
      (e) => e.type === 'job.released' && e.jobId === jobId,
    );
    expect(releasedEvent.actor?.name).toBe('Olivia Owner');
    expect((await owner.http.get(`/v1/jobs/${jobId}`)).body.claimedBy).toBeNull();
    // Free again: Bob can take it now.
    expect((await bob.in(owner.slug).post(`/v1/jobs/${jobId}/claim`)).status).toBe(200);
    watcher.close();
  });
});

describe('attributed actions', () => {
  it('name who retried and who cancelled, in the events and in the activity', async () => {
    const watcher = await socketOf(owner);
    await watcher.subscribeOk({ topic: 'workspace' });
    const failing = await submit({ ms: 0, fail: true });
    await waitForJobStatus(owner.http, failing, 'failed');
    await ada.in(owner.slug).post(`/v1/jobs/${failing}/claim`);
    await ada.in(owner.slug).post(`/v1/jobs/${failing}/comments`, { body: 'on it' });
    await ada.in(owner.slug).post(`/v1/jobs/${failing}/retry`);
    const requeued = await watcher.waitForEvent(
      'retry',
      (e) => e.jobId === failing && e.type === 'job.queued' && !!e.actor,
    );
    expect(requeued.actor).toEqual({ type: 'user', id: ada.user.id, name: 'Ada' });
    await waitForJobStatus(owner.http, failing, 'failed');

    const activity = await owner.http.get(`/v1/jobs/${failing}/activity`);
    expect(activity.status).toBe(200);
    const people = activity.body.items
      .filter((entry: { actor: unknown }) => entry.actor)
      .map((entry: { action: string; actor: { name: string } }) => `${entry.action} by ${entry.actor.name}`);
    expect(people).toEqual(['claimed by Ada', 'commented by Ada', 'retried by Ada']);
    const actions = activity.body.items.map((entry: { action: string }) => entry.action);
    expect(actions[0]).toBe('created');
    // Both runs are in the timeline, each started and failed, the retry by Ada between them.
    expect(actions.filter((action: string) => action !== 'claimed' && action !== 'commented')).toEqual([
      'created',
      'started',
      'failed',
      'retried',
      'started',
      'failed',
    ]);
    const failures = activity.body.items.filter((entry: { action: string }) => entry.action === 'failed');
    expect(failures[0]).toMatchObject({ actor: null, details: { attempt: 1, error: 'demo failure' } });
    // Each entry has the id its event named: a live page and a reloaded one hold the same entries.
    const ids = activity.body.items.map((entry: { id: string }) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBe(`${failing}:created`);
    const retried = activity.body.items.find((entry: { action: string }) => entry.action === 'retried');
    expect(retried.id).toBe(requeued.activity?.id);
    for (const milestone of failures) expect(milestone.id).toMatch(new RegExp(`^${failing}:\\d+$`));

    const running = await submit({ ms: 30_000, steps: 30 });
    await waitForJobStatus(owner.http, running, 'active');
    await bob.in(owner.slug).post(`/v1/jobs/${running}/cancel`);
    const cancelled = await watcher.waitForEvent('cancel', (e) => e.jobId === running && e.type === 'job.cancelled');
    expect(cancelled.actor).toEqual({ type: 'user', id: bob.user.id, name: 'Bob' });
    watcher.close();
  });
});

describe('presence', () => {
  it('shows who is online and which job each looks at, across sockets, and forgets who left within seconds', async () => {
    const first = await socketOf(ada);
    const second = await socketOf(bob);
    const snapshots: PresenceSnapshot[] = [];
    second.socket.on('presence', (snapshot) => snapshots.push(snapshot));
    const typing: TypingNotice[] = [];
    second.socket.on('typing', (notice) => typing.push(notice));

    const bobAck = await new Promise<PresenceAck>((resolve) =>
      second.socket.emit('presence', { jobId: null }, resolve),
    );
    expect(bobAck.ok).toBe(true);
    const jobId = await submit({ ms: 0 });
    const adaAck = await new Promise<PresenceAck>((resolve) => first.socket.emit('presence', { jobId }, resolve));
    expect(adaAck).toMatchObject({ ok: true });
    if (!adaAck.ok) throw new Error('presence refused');
    expect(adaAck.members).toEqual(
      expect.arrayContaining([
        { id: ada.user.id, name: 'Ada', jobIds: [jobId] },
        { id: bob.user.id, name: 'Bob', jobIds: [] },
      ]),
    );
    await waitFor('presence with Ada on the job', () =>
      snapshots.some((s) => s.members.some((m) => m.id === ada.user.id && m.jobIds.includes(jobId))),
    );

    first.socket.emit('typing', { jobId });
    await waitFor('a typing notice', () =>
      typing.find((notice) => notice.user.id === ada.user.id && notice.jobId === jobId),
    );

    // Another workspace hears nothing of it.
    const stranger = await app.signup('Elsewhere');
    const outsider = await RealtimeClient.open(app.url, {
      auth: { workspace: stranger.slug },
      headers: { cookie: stranger.cookie, origin: app.url },
    });
    const outsiderAck = await new Promise<PresenceAck>((resolve) =>
      outsider.socket.emit('presence', { jobId: null }, resolve),
    );
    expect(outsiderAck.ok && outsiderAck.members.map((m) => m.name)).toEqual(['Elsewhere']);

    const left = Date.now();
    first.close();
    await waitFor('presence without Ada', () => snapshots.at(-1)?.members.every((m) => m.id !== ada.user.id), 5_000);
    expect(Date.now() - left).toBeLessThan(5_000);
    expect(
      (await new Promise<PresenceAck>((resolve) => second.socket.emit('presence', { jobId: 'x' }, resolve))).ok,
    ).toBe(true);
    second.close();
    outsider.close();
  });
});
