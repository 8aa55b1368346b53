import { desiredReplicas, type QueueScalingPolicy } from './scaling-policy';

const policy: QueueScalingPolicy = { minReplicas: 0, maxReplicas: 5, jobsPerReplica: 10, activationBacklog: 0 };

describe('desiredReplicas', () => {
  it.each([
    [{ wait: 0, prioritized: 0, active: 0, paused: false }, 0],
    [{ wait: 1, prioritized: 0, active: 0, paused: false }, 1],
    [{ wait: 10, prioritized: 0, active: 0, paused: false }, 1],
    [{ wait: 6, prioritized: 3, active: 2, paused: false }, 2],
    [{ wait: 1000, prioritized: 0, active: 0, paused: false }, 5],
  ])('asks for ceil(backlog / jobsPerReplica) within bounds: %o → %i', (depth, replicas) => {
    expect(desiredReplicas(policy, depth)).toBe(replicas);
  });

  it('stays at the minimum until the backlog passes the activation threshold', () => {
    const activating = { ...policy, minReplicas: 1, activationBacklog: 5 };
    expect(desiredReplicas(activating, { wait: 5, prioritized: 0, active: 0, paused: false })).toBe(1);
    expect(desiredReplicas(activating, { wait: 25, prioritized: 0, active: 0, paused: false })).toBe(3);
  });

  it('scales a paused queue for its active jobs only: waiting jobs cannot be taken', () => {
    expect(desiredReplicas(policy, { wait: 1000, prioritized: 50, active: 0, paused: true })).toBe(0);
    expect(desiredReplicas(policy, { wait: 1000, prioritized: 50, active: 15, paused: true })).toBe(2);
    const floored = { ...policy, minReplicas: 1 };
    expect(desiredReplicas(floored, { wait: 1000, prioritized: 0, active: 0, paused: true })).toBe(1);
    // The same depth unpaused asks for the maximum.
    expect(desiredReplicas(policy, { wait: 1000, prioritized: 50, active: 15, paused: false })).toBe(5);
  });
});
