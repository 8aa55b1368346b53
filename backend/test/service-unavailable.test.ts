import { isServiceUnavailable } from '../src/ops/service-unavailable';

// Which errors mean "Redis or MongoDB is away" (503) and which are bugs (500): the errors below are
// shaped as the drivers throw them during the outages of backend/test/faults/.

const named = (name: string, message: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name }, extra);

describe('isServiceUnavailable', () => {
  it.each([
    [
      'ioredis gave up on a command while Redis was away',
      named('MaxRetriesPerRequestError', 'Reached the max retries per request limit (which is 1).'),
    ],
    ['ioredis: connection closed under a command', new Error('Connection is closed.')],
    ['a MongoDB connection refused', named('MongoNetworkError', 'connect ECONNREFUSED 127.0.0.1:27017')],
    ['no MongoDB server to send to', named('MongoServerSelectionError', 'Server selection timed out after 5000 ms')],
    [
      'mongoose held the operation until its buffer timed out',
      named('MongooseError', 'Operation `jobrecords.find()` buffering timed out after 3000ms'),
    ],
    [
      'a bulk write that failed on the connection',
      named('MongoBulkWriteError', 'connect ECONNREFUSED', { writeErrors: [], errorLabels: ['RetryableError'] }),
    ],
    [
      'a wrapped cause',
      new Error('the job queue is unavailable', { cause: named('MongoPoolClearedError', 'pool cleared') }),
    ],
  ])('%s: unavailable', (_what, error) => {
    expect(isServiceUnavailable(error)).toBe(true);
  });

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a duplicate key', named('MongoServerError', 'E11000 duplicate key error', { code: 11000 })],
    [
      'a bulk write with write errors of its own',
      named('MongoBulkWriteError', 'E11000', { writeErrors: [{ code: 11000 }], errorLabels: [] }),
    ],
    ['a Lua script error', named('ReplyError', 'ERR user_script:1: attempt to compare nil with number')],
    ['not an error', 'ECONNREFUSED'],
  ])('%s: not unavailable', (_what, error) => {
    expect(isServiceUnavailable(error)).toBe(false);
  });
});
