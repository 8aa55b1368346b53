// Artillery processor for submit.yml: builds a batch of demo.sleep jobs from the scenario variables.
function batchOfJobs(request, context, _events, next) {
  const { batchSize, ms, delayMs, attempts, fail } = context.vars;
  const job = {
    type: 'demo.sleep',
    payload: { ms: Number(ms), ...(String(fail) === 'true' ? { fail: true } : {}) },
    ...(Number(delayMs) > 0 ? { delayMs: Number(delayMs) } : {}),
    ...(Number(attempts) > 1 ? { attempts: Number(attempts), backoff: { type: 'fixed', delayMs: 2000 } } : {}),
  };
  request.json = { jobs: Array.from({ length: Number(batchSize) }, () => job) };
  return next();
}

module.exports = { batchOfJobs };
