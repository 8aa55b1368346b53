import { runArtillery } from '../artillery';
import { Observer } from '../observer';
import { waitUntil } from '../processes';
import { rest } from '../rest';
import type { Scenario } from './scenario';

// (e) A connection surge to the gateways, then scale-in while events flow. Observers — clients that
// resume with `since` after every disconnect, as the console does — stay connected throughout while
// jobs keep running, so every event they must see is known. The surge (Artillery's sockets) makes
// KEDA scale the gateways out by connections per pod; when it ends, the gateways scale back in, and
// the gateway that stops drains its sockets onto the others. Target: no observer misses or doubles
// an event.

const GATEWAYS = 'flightdeck-gateway';

export function connections(options: {
  sockets: number;
  holdSeconds: number;
  observers: number;
  /** The gateways' minReplicaCount: the surge must take them past it. */
  minGateways: number;
}): Scenario {
  return {
    name: 'connections',
    title: `A surge of ${options.sockets.toLocaleString('en')} sockets, then gateway scale-in while events flow`,
    async run({ lab, sampler, elapsed, log }) {
      // Half the observers connect now, half once the gateways have scaled out: the balancer spreads
      // those over every gateway, new ones included, so the gateway that scale-in stops has some.
      const observers = Array.from({ length: options.observers }, () => new Observer(lab.url, lab.apiKey));
      const early = observers.slice(0, Math.ceil(observers.length / 2));
      const late = observers.slice(early.length);
      await Promise.all(early.map((observer) => observer.start()));
      // A fresh lab's HPA may still be raising the gateways to their minimum.
      await waitUntil(
        `the gateways at their minimum (${options.minGateways})`,
        async () => (sampler.samples.at(-1)?.scaling[GATEWAYS]?.ready ?? 0) >= options.minGateways,
        120_000,
        500,
      );
      const minimum = sampler.samples.at(-1)!.scaling[GATEWAYS]?.replicas ?? 0;
      let flowing = true;
      // Events flow all along: one short job a second.
      const flow = (async () => {
        while (flowing) {
          await rest(lab, 'POST', '/v1/jobs', { type: 'demo.sleep', payload: { ms: 200, steps: 2 } }).catch(
            () => undefined,
          );
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      })();
      log(
        `${early.length} observers connected; surging ${options.sockets} sockets for ${options.holdSeconds} s (gateways at ${minimum})`,
      );
      const surge = runArtillery({
        name: 'connections',
        script: 'sockets.yml',
        target: lab.url,
        phases: [{ duration: 30, arrivalCount: options.sockets }],
        variables: { token: lab.apiKey, holdSeconds: options.holdSeconds },
      });
      let surgeOver = false;
      void surge.finally(() => (surgeOver = true)).catch(() => undefined);
      await waitUntil(
        'the gateways to scale out (or the surge to end)',
        async () => surgeOver || (sampler.samples.at(-1)?.scaling[GATEWAYS]?.ready ?? 0) > minimum,
        30 * 60_000,
        1000,
      );
      await Promise.all(late.map((observer) => observer.start()));
      log(`${late.length} more observers connected at ${Math.round(elapsed())} s`);
      const counters = await surge;
      const peak = Math.max(...sampler.samples.map((sample) => sample.scaling[GATEWAYS]?.ready ?? 0));
      const failed = counters['vusers.failed'] ?? 0;
      log(`surge over at ${Math.round(elapsed())} s (gateways peaked at ${peak}, ${failed} sockets failed)`);
      // A surge the gateways never scaled out for proves nothing about scale-in: say so rather than wait.
      if (peak <= minimum)
        throw new Error(`the gateways did not scale out (${minimum} → ${peak}); ${failed} sockets failed`);
      log('waiting for the scale-in');
      await waitUntil(
        'the gateways to scale back in',
        async () => (sampler.samples.at(-1)?.scaling[GATEWAYS]?.replicas ?? Infinity) < peak,
        30 * 60_000,
        1000,
      );
      await waitUntil(
        'the drained gateway to stop',
        async () => (sampler.samples.at(-1)?.processes.gateway ?? 0) < peak,
        5 * 60_000,
        1000,
      );
      // The observers' last reconnect and catch-up.
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      flowing = false;
      await flow;
      // Every observer must have caught up with the stream: a fresh subscriber's first seq is its head.
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const probe = new Observer(lab.url, lab.apiKey);
      await probe.start();
      const head = probe.seen ?? 0;
      probe.stop();
      const behind = observers.filter((observer) => (observer.seen ?? 0) < head).length;
      const reports = observers.map((observer) => observer.stop());
      const sum = (key: 'gaps' | 'duplicates' | 'reconnects' | 'resyncs') =>
        reports.reduce((total, report) => total + report[key], 0);
      return {
        sockets: options.sockets,
        socketsConnected: counters['socketio.emit'] ?? null,
        socketsFailed: counters['vusers.failed'] ?? 0,
        gatewaysAtStart: minimum,
        gatewaysAtPeak: peak,
        observers: options.observers,
        observerReconnects: sum('reconnects'),
        eventsMissed: sum('gaps'),
        observersBehindAtEnd: behind,
        eventsDoubled: sum('duplicates'),
        resyncs: sum('resyncs'),
        target: 'eventsMissed = eventsDoubled = 0 across the scale-in',
        checks: {
          scaledOut: peak > minimum,
          // Some observer sat on the gateway that stopped, so resuming across scale-in was exercised.
          scaleInMovedObservers: sum('reconnects') > 0,
          observersMissedNothing: sum('gaps') === 0 && behind === 0,
          observersDoubledNothing: sum('duplicates') === 0,
        },
      };
    },
  };
}
