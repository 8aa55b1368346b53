import mongoose from 'mongoose';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';

// Lists page over indexes (jobs, activity, audit, comments, logs…): on production MongoDB a missing
// one turns a page into a collection scan. Start-up must create every index every model declares.
describe('MongoDB indexes', () => {
  let app: TestFlightdeck;
  beforeAll(async () => {
    app = await startTestFlightdeck();
  });
  afterAll(() => app.stop());

  it('exist, after start-up, for every index of every model', async () => {
    const models = Object.values(mongoose.models);
    expect(models.map((model) => model.collection.collectionName)).toEqual(
      expect.arrayContaining(['jobs', 'job_activity', 'audit_log', 'comments', 'job_logs', 'webhook_deliveries']),
    );
    const missing: string[] = [];
    for (const model of models) {
      const existing = new Set(
        (await model.collection.listIndexes().toArray()).map((index) => JSON.stringify(index.key)),
      );
      for (const [keys] of model.schema.indexes()) {
        if (!existing.has(JSON.stringify(keys)))
          missing.push(`${model.collection.collectionName} ${JSON.stringify(keys)}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
