// Starts one throw-away Redis and one FerretDB on free ports for the whole test run. Each test file
// then uses its own Redis key prefix and its own database (see support/test-services.ts).
// Plain JS on the built backend: `npm test` builds first.
const { mkdtempSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePort, startFerretDb, startRedis } = require('../dist/services/local-services');

const repoRoot = path.resolve(__dirname, '..', '..');

module.exports = async function globalSetup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flightdeck-test-'));
  const binary = process.env.FERRETDB_BIN || path.join(repoRoot, '.tools', 'bin', 'ferretdb');
  const [redis, ferretdb] = await Promise.all([
    freePort().then((port) => startRedis({ port, dataDir: path.join(dir, 'redis'), durable: false })),
    freePort().then((port) => startFerretDb({ port, dataDir: path.join(dir, 'ferretdb'), binary, database: 'unused' })),
  ]);
  globalThis.__FLIGHTDECK_SERVICES__ = { services: [redis, ferretdb], dir };
  process.env.FLIGHTDECK_TEST_REDIS_URL = redis.url;
  process.env.FLIGHTDECK_TEST_MONGODB_URL = ferretdb.url.replace(/\/unused$/, '');
  process.env.FLIGHTDECK_TEST_FERRETDB_BIN = binary;
};
