const { rmSync } = require('node:fs');

module.exports = async function globalTeardown() {
  const state = globalThis.__FLIGHTDECK_SERVICES__;
  if (!state) return;
  await Promise.all(state.services.map((service) => service.stop()));
  rmSync(state.dir, { recursive: true, force: true });
};
