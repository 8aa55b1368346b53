import { eventsAfter, isNewEvent } from './event-sequence';

describe('isNewEvent', () => {
  it('accepts only events past the last applied seq', () => {
    expect(isNewEvent(4, { seq: 5 })).toBe(true);
    expect(isNewEvent(4, { seq: 4 })).toBe(false);
    expect(isNewEvent(4, { seq: 2 })).toBe(false);
    expect(isNewEvent(0, { seq: Number.NaN })).toBe(false);
  });
});

describe('eventsAfter', () => {
  it('keeps events past the seq, in seq order, each once', () => {
    const events = [{ seq: 7 }, { seq: 3 }, { seq: 5 }, { seq: 6 }, { seq: 5 }, { seq: 8 }];
    expect(eventsAfter(events, 4).map((event) => event.seq)).toEqual([5, 6, 7, 8]);
    expect(eventsAfter(events, 8)).toEqual([]);
  });
});
