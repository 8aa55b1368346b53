import { ApiClient } from '../../src/api/api-client';
import { fakeServer, type FakeServer } from './fake-server';

// For a component test's page script (bundled into the page, see fixturePages): the pieces most of
// them set up the same way. The test's side of them is setUpPage in fixture-pages.ts.

/**
 * The console's ApiClient over a scripted API (see {@link fakeServer}), acting in `workspace` when
 * given. The page keeps the server as `window.server`, for the test to script its answers and read
 * its requests.
 */
export function scriptedApi(workspace?: string): { server: FakeServer; api: ApiClient } {
  const server = fakeServer();
  (window as unknown as { server: FakeServer }).server = server;
  const api = new ApiClient(workspace === undefined ? { fetch: server.fetch } : { workspace, fetch: server.fetch });
  return { server, api };
}

/**
 * `window.setUp(properties)`, for the test to call once it has scripted the answers: it puts a
 * `tag` element with `attributes` on the page, its properties set to the test's `properties`, then
 * to the page's own `fixed` ones (an API, a stream: what cannot cross from the test).
 */
export function appendOnSetUp(
  tag: string,
  attributes: Record<string, string> = {},
  fixed: Record<string, unknown> = {},
): void {
  (window as unknown as { setUp: (properties?: Record<string, unknown>) => void }).setUp = (properties = {}) => {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    Object.assign(element, properties, fixed);
    document.body.append(element);
  };
}
