import { SerialQueue } from '../src/gateway/serial-queue';

// The per-socket queue of subscription changes: in order, one at a time, bounded.

const deferred = () => {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

it('runs work one piece at a time, in order, and a failure does not stop the next', async () => {
  const queue = new SerialQueue(10);
  const order: string[] = [];
  const first = deferred();
  const one = queue.run(async () => {
    order.push('one starts');
    await first.promise;
    order.push('one ends');
  });
  const two = queue.run(async () => {
    order.push('two');
    throw new Error('two failed');
  });
  const three = queue.run(async () => void order.push('three'));
  await Promise.resolve();
  expect(order).toEqual(['one starts']);
  first.resolve();
  await one;
  await expect(two).rejects.toThrow('two failed');
  await three;
  expect(order).toEqual(['one starts', 'one ends', 'two', 'three']);
  expect(queue.size).toBe(0);
});

it('refuses work past its limit while earlier work is pending, and takes more once it drains', async () => {
  const queue = new SerialQueue(3);
  const stuck = deferred();
  const accepted = [queue.run(() => stuck.promise), queue.run(async () => {}), queue.run(async () => {})];
  expect(accepted.every((done) => done instanceof Promise)).toBe(true);
  expect(queue.run(async () => {})).toBeUndefined();
  expect(queue.size).toBe(3);
  stuck.resolve();
  await Promise.all(accepted);
  expect(queue.size).toBe(0);
  await expect(queue.run(async () => {})).resolves.toBeUndefined();
});
