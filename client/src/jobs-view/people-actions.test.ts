import type { Actor, StreamEvent } from '@flightdeck/contract';
import { buildJob, stateEvent } from '../../test/support/job-factory';
import { actionTexts, personActionOf } from './people-actions';

const bob: Actor = { type: 'user', id: 'u_bob', name: 'Bob' };
const by = (event: StreamEvent, actor: Actor = bob): StreamEvent => ({ ...event, actor });

describe('personActionOf', () => {
  const failed = buildJob({ id: '01JOB000000000000000AAAABBBB', status: 'failed' });
  const requeued = { ...failed, status: 'queued' as const };

  it('names who did what to a job in view', () => {
    expect(personActionOf(by(stateEvent(5, 'job.queued', requeued)), failed, requeued, 'u_ada')).toEqual({
      actor: bob,
      verb: 'retried',
      job: { id: failed.id, type: 'demo.sleep' },
    });
    const delayed = { ...failed, status: 'delayed' as const };
    expect(personActionOf(by(stateEvent(5, 'job.queued', requeued)), delayed, requeued, null)?.verb).toBe('promoted');
    const claimed: StreamEvent = { seq: 6, type: 'job.claimed', jobId: failed.id, actor: bob, at: '' };
    expect(personActionOf(claimed, failed, failed, 'u_ada')?.verb).toBe('claimed');
  });

  it('is nothing for your own actions, for what jobs do on their own, and for jobs not in view', () => {
    expect(personActionOf(by(stateEvent(5, 'job.queued', requeued)), failed, requeued, 'u_bob')).toBeNull();
    expect(personActionOf(stateEvent(5, 'job.completed', requeued), failed, requeued, 'u_ada')).toBeNull();
    expect(personActionOf(by(stateEvent(5, 'job.cancelled', requeued)), undefined, undefined, 'u_ada')).toBeNull();
  });
});

describe('actionTexts', () => {
  it('makes one toast per person and verb', () => {
    const job = (n: number) => ({ id: `01JOB00000000000000000000${n}`, type: 'demo.sleep' });
    const ada: Actor = { type: 'user', id: 'u_ada', name: 'Ada' };
    expect(
      actionTexts([
        { actor: bob, verb: 'retried', job: job(1) },
        { actor: bob, verb: 'retried', job: job(2) },
        { actor: bob, verb: 'retried', job: job(2) },
        { actor: ada, verb: 'claimed', job: job(3) },
      ]),
    ).toEqual(['Bob retried 2 jobs', 'Ada claimed demo.sleep 00000003']);
  });
});
