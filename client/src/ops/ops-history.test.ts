import { buildOps } from '../../test/support/ops-factory';
import { OpsHistory, gatewayLabel } from './ops-history';
import { hasData, latestValue, quantile } from './time-series';

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, second)).toISOString();

describe('OpsHistory', () => {
  it('adds queue depth up over queues, by state, at the server times of the readings', () => {
    const history = new OpsHistory();
    history.add(
      buildOps({
        at: at(0),
        queues: [
          { name: 'demo', queued: 5, delayed: 1, active: 2 },
          { name: 'http', queued: 3, active: 1 },
        ],
      }),
    );
    history.add(buildOps({ at: at(2), queues: [{ name: 'demo', queued: 1, active: 4 }] }));
    const depth = history.depth();
    expect(depth.x).toEqual([Date.parse(at(0)) / 1000, Date.parse(at(2)) / 1000]);
    expect(depth.lines.map((line) => [line.label, line.values])).toEqual([
      ['Queued', [8, 1]],
      ['Delayed', [1, 0]],
      ['Active', [3, 4]],
    ]);
    expect(hasData(depth)).toBe(true);
  });

  it('keeps ten minutes of readings and ignores one that is not newer than the last', () => {
    const history = new OpsHistory(60_000);
    for (let second = 0; second <= 90; second += 10) history.add(buildOps({ at: at(second) }));
    history.add(buildOps({ at: at(85) }));
    expect(history.size).toBe(7);
    expect(history.latestAt()).toBe(Date.parse(at(90)));
    expect(history.depth().x[0]).toBe(Date.parse(at(30)) / 1000);
  });

  it('draws one line per gateway, broken where a gateway was not there', () => {
    const history = new OpsHistory();
    history.add(buildOps({ at: at(0), gateways: [{ id: 'gw-b:1', connections: 3 }] }));
    history.add(
      buildOps({
        at: at(2),
        gateways: [
          { id: 'gw-a:1', connections: 1 },
          { id: 'gw-b:1', connections: 4 },
        ],
      }),
    );
    expect(history.gatewayConnections().lines).toEqual([
      { key: 'gw-a:1', label: 'gw-a:1', values: [null, 1] },
      { key: 'gw-b:1', label: 'gw-b:1', values: [3, 4] },
    ]);
  });

  it('shows the replicas the scaling policy asks for next to the ones running', () => {
    const history = new OpsHistory();
    history.add(buildOps({ at: at(0), desired: 3, running: 1 }));
    history.add(buildOps({ at: at(2), desired: 2, running: 2 }));
    const lines = history.workerReplicas().lines;
    expect(lines.map((line) => [line.key, line.values])).toEqual([
      ['desired', [3, 2]],
      ['running', [1, 2]],
    ]);
    expect(latestValue(lines[0]!)).toBe(2);
  });

  it('has no data to draw until two readings', () => {
    const history = new OpsHistory();
    expect(hasData(history.depth())).toBe(false);
    history.add(buildOps({ at: at(0) }));
    expect(hasData(history.depth())).toBe(false);
  });
});

describe('gatewayLabel', () => {
  it('keeps short ids and the end of long ones', () => {
    expect(gatewayLabel('gw-1:42')).toBe('gw-1:42');
    expect(gatewayLabel('flightdeck-gateway-7d9f8c6b5-x2x9q:1')).toBe('…k-gateway-7d9f8c6b5-x2x9q:1');
  });
});

describe('quantile', () => {
  it('interpolates between the nearest values', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([7], 0.95)).toBe(7);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([0, 100], 0.95)).toBe(95);
  });
});
