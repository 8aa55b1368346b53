import { fieldOfIssue, validateDemoSleep } from './demo-sleep-input';

describe('validateDemoSleep', () => {
  it('turns valid fields into the payload', () => {
    expect(validateDemoSleep({ ms: ' 2000 ', steps: '4', fail: true })).toEqual({
      ok: true,
      payload: { ms: 2000, steps: 4, fail: true },
    });
    expect(validateDemoSleep({ ms: '0', steps: '1', fail: false })).toMatchObject({ ok: true });
    expect(validateDemoSleep({ ms: '600000', steps: '100', fail: false })).toMatchObject({ ok: true });
  });

  it('names every wrong field with a message a person can act on', () => {
    expect(validateDemoSleep({ ms: '', steps: '0', fail: false })).toEqual({
      ok: false,
      errors: { ms: 'Duration is required.', steps: 'Steps must be between 1 and 100.' },
    });
    expect(validateDemoSleep({ ms: '1.5', steps: '2', fail: false })).toEqual({
      ok: false,
      errors: { ms: 'Duration must be a whole number.' },
    });
    expect(validateDemoSleep({ ms: '600001', steps: '1e1', fail: false })).toEqual({
      ok: false,
      errors: { ms: 'Duration must be between 0 and 600,000.', steps: 'Steps must be a whole number.' },
    });
    expect(validateDemoSleep({ ms: '-1', steps: '3', fail: false })).toMatchObject({ ok: false });
  });
});

describe('fieldOfIssue', () => {
  it("maps the API's issue paths to the form's fields", () => {
    expect(fieldOfIssue('payload.ms')).toBe('ms');
    expect(fieldOfIssue('payload.steps')).toBe('steps');
    expect(fieldOfIssue('priority')).toBeUndefined();
  });
});
