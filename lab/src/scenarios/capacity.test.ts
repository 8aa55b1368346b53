import type { Sample } from '../sampler';
import { perPodCapacity } from './capacity';

const sample = (t: number, ready: number, wait: number, ended: number): Sample => ({
  t,
  queues: { demo: { wait, prioritized: 0, active: 0, delayed: 0, completed: 0, failed: 0 } },
  scaling: { 'flightdeck-worker': { desired: ready, current: ready, replicas: ready, ready } },
  processes: {},
  connections: {},
  ended,
});

describe('perPodCapacity (what one worker pod finishes per second, measured in the run)', () => {
  it('takes the median over steady windows with a backlog, per ready worker', () => {
    const samples: Sample[] = [];
    // 0–9 s: 2 workers, 20 jobs/s in all (10 per pod); 10–19 s: 4 workers, 40 jobs/s (10 per pod).
    let ended = 0;
    for (let t = 0; t < 20; t += 1) {
      const ready = t < 10 ? 2 : 4;
      samples.push(sample(t, ready, 500, ended));
      ended += ready * 10;
    }
    expect(perPodCapacity(samples, 'flightdeck-worker', 'demo')).toBeCloseTo(10);
  });

  it('ignores windows without a backlog (workers idle) or while the replica count changes', () => {
    const idle = Array.from({ length: 10 }, (_, t) => sample(t, 3, 0, t));
    expect(perPodCapacity(idle, 'flightdeck-worker', 'demo')).toBeNull();
    const changing = Array.from({ length: 10 }, (_, t) => sample(t, t % 2 ? 2 : 3, 100, t * 30));
    expect(perPodCapacity(changing, 'flightdeck-worker', 'demo')).toBeNull();
  });
});
