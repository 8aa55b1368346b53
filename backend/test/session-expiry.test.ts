import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { closeAllClients, RealtimeClient, refusedHandshake } from './support/realtime-client';
import { waitFor } from './support/test-services';

// Sessions last SESSION_TTL_SECONDS: after that REST refuses them, and their open sockets end too.
let app: TestFlightdeck;
beforeAll(async () => {
  app = await startTestFlightdeck({ SESSION_TTL_SECONDS: '2' });
});
afterEach(() => closeAllClients());
afterAll(() => app.stop());

it('ends a session, and the sockets it opened, when it expires', async () => {
  const person = await app.signup('Brief');
  const handshake = { auth: { workspace: person.slug }, headers: { cookie: person.cookie, origin: app.url } };
  const socket = await RealtimeClient.open(app.url, handshake);
  await socket.subscribeOk({ topic: 'workspace' });
  expect((await person.http.get('/v1/jobs')).status).toBe(200);

  await waitFor('the socket to end with its session', () => socket.disconnectReason, 5_000);
  expect(socket.disconnectReason).toBe('io server disconnect');
  expect((await person.http.get('/v1/jobs')).status).toBe(401);
  expect((await refusedHandshake(app.url, handshake)).data?.code).toBe('unauthorized');
});
