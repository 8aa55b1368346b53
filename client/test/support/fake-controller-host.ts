import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** A host as Lit's elements are to their controllers, counting the updates asked for. */
export function fakeHost() {
  const controllers: ReactiveController[] = [];
  const host = {
    updates: 0,
    controllers,
    addController: (controller: ReactiveController) => controllers.push(controller),
    removeController: () => undefined,
    requestUpdate: () => void host.updates++,
    updateComplete: Promise.resolve(true),
  };
  return host as typeof host & ReactiveControllerHost;
}
