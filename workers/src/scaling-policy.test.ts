import { desiredReplicas, type QueueScalingPolicy } from './scaling-policy';

const policy: QueueScalingPolicy = { minReplicas: 0, maxReplicas: 5, jobsPerReplica: 10, activationBacklog: 0 };

describe('desiredReplicas', () => {
  it.each([
    [{ wait: 0, prioritized: 0, active: 0 }, 0],
    [{ wait: 1, prioritized: 0, active: 0 }, 1],
    [{ wait: 10, prioritized: 0, active: 0 }, 1],
    [{ wait: 6, prioritized: 3, active: 2 }, 2],
    [{ wait: 1000, prioritized: 0, active: 0 }, 5],
  ])('asks for ceil(backlog / jobsPerReplica) within bounds: %o → %i', (depth, replicas) => {
    expect(desiredReplicas(policy, depth)).toBe(replicas);
  });

  it('stays at the minimum until the backlog passes the activation threshold', () => {
    const activating = { ...policy, minReplicas: 1, activationBacklog: 5 };
    expect(desiredReplicas(activating, { wait: 5, prioritized: 0, active: 0 })).toBe(1);
    expect(desiredReplicas(activating, { wait: 25, prioritized: 0, active: 0 })).toBe(3);
  });
});
