import type { PresenceAck, PresenceSnapshot, TypingNotice } from '@flightdeck/contract';
import {
  PresenceChannel,
  TYPING_SEND_INTERVAL_MS,
  TYPING_SHOW_MS,
  nextTypingExpiry,
  noTyping,
  noteTyping,
  pruneTyping,
  samePresence,
  shouldSendTyping,
  typingText,
  typistsOf,
  viewersByJob,
  viewersOf,
  type PresenceSocket,
} from './presence';

const ada = { id: 'u_ada', name: 'Ada Lovelace' };
const bob = { id: 'u_bob', name: 'Bob Builder' };
const cy = { id: 'u_cy', name: 'Cy Young' };

const MEMBERS: PresenceSnapshot['members'] = [
  { ...ada, jobIds: ['job_1'] },
  { ...bob, jobIds: ['job_1', 'job_2'] },
  { ...cy, jobIds: [] },
];

describe('presence, as pure functions', () => {
  it('lists who else has a job open, leaving yourself out', () => {
    expect(viewersOf(MEMBERS, 'job_1', ada.id)).toEqual([bob]);
    expect(viewersOf(MEMBERS, 'job_1', null)).toEqual([ada, bob]);
    expect(viewersOf(MEMBERS, 'job_3', null)).toEqual([]);
    // "Nobody" is one shared empty list, so views see no change.
    expect(viewersOf(MEMBERS, 'job_3', null)).toBe(viewersOf([], 'job_1', null));
  });

  it('groups viewers by job for the jobs table', () => {
    const byJob = viewersByJob(MEMBERS, bob.id);
    expect([...byJob.entries()]).toEqual([['job_1', [ada]]]);
    expect(viewersByJob(MEMBERS, null).get('job_2')).toEqual([bob]);
  });

  it('tells a repeated snapshot from a changed one', () => {
    expect(samePresence(MEMBERS, structuredClone(MEMBERS))).toBe(true);
    expect(samePresence(MEMBERS, MEMBERS.slice(1))).toBe(false);
    const moved = structuredClone(MEMBERS);
    moved[0]!.jobIds = ['job_2'];
    expect(samePresence(MEMBERS, moved)).toBe(false);
  });
});

describe('typing, as pure functions', () => {
  const notice = (user: typeof ada, jobId = 'job_1'): TypingNotice => ({ jobId, user });

  it('shows a typist for a few seconds after their last notice, not yourself, and only on their job', () => {
    let state = noteTyping(noTyping(), notice(ada), 1_000);
    state = noteTyping(state, notice(bob), 2_000);
    state = noteTyping(state, notice(cy, 'job_2'), 2_000);
    expect(typistsOf(state, 'job_1', 2_500, null)).toEqual([ada, bob]);
    expect(typistsOf(state, 'job_1', 2_500, bob.id)).toEqual([ada]);
    expect(typistsOf(state, 'job_1', 1_000 + TYPING_SHOW_MS, null)).toEqual([bob]);
    // A new notice keeps Ada's going.
    state = noteTyping(state, notice(ada), 4_000);
    expect(typistsOf(state, 'job_1', 1_000 + TYPING_SHOW_MS + 1, null)).toEqual([ada, bob]);
  });

  it('drops notices that ran out, and says when the next one does', () => {
    const state = noteTyping(noteTyping(noTyping(), notice(ada), 1_000), notice(bob), 3_000);
    expect(nextTypingExpiry(state)).toBe(1_000 + TYPING_SHOW_MS);
    expect(pruneTyping(state, 1_500)).toBe(state);
    const pruned = pruneTyping(state, 1_000 + TYPING_SHOW_MS);
    expect([...pruned.values()].map((entry) => entry.user)).toEqual([bob]);
    expect(nextTypingExpiry(noTyping())).toBeUndefined();
  });

  it('throttles its own notices to one every two seconds per job', () => {
    expect(shouldSendTyping(undefined, 'job_1', 0)).toBe(true);
    expect(shouldSendTyping({ jobId: 'job_1', at: 0 }, 'job_1', TYPING_SEND_INTERVAL_MS - 1)).toBe(false);
    expect(shouldSendTyping({ jobId: 'job_1', at: 0 }, 'job_1', TYPING_SEND_INTERVAL_MS)).toBe(true);
    expect(shouldSendTyping({ jobId: 'job_1', at: 0 }, 'job_2', 1)).toBe(true);
  });

  it('says who is typing in a sentence', () => {
    expect(typingText([])).toBe('');
    expect(typingText([ada])).toBe('Ada Lovelace is typing…');
    expect(typingText([ada, bob])).toBe('Ada Lovelace and Bob Builder are typing…');
    expect(typingText([ada, bob, cy])).toBe('3 people are typing…');
  });
});

/** Stands in for socket.io-client's socket; the test plays the gateway. */
class FakeSocket implements PresenceSocket {
  connected = false;
  readonly sent: { name: string; payload: unknown; ack?: (answer: PresenceAck) => void }[] = [];
  private readonly handlers = new Map<string, ((...args: never[]) => void)[]>();

  on = ((name: string, handler: (...args: never[]) => void) => {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), handler]);
    return this;
  }) as unknown as PresenceSocket['on'];

  emit = ((name: string, payload: unknown, ack?: (answer: PresenceAck) => void) => {
    this.sent.push({ name, payload, ...(ack ? { ack } : {}) });
    return this;
  }) as unknown as PresenceSocket['emit'];

  fire(name: string, ...args: unknown[]) {
    for (const handler of this.handlers.get(name) ?? []) (handler as (...args: unknown[]) => void)(...args);
  }
  open() {
    this.connected = true;
    this.fire('connect');
  }
  sentNamed(name: string) {
    return this.sent.filter((message) => message.name === name);
  }
}

describe('PresenceChannel', () => {
  beforeEach(() => jest.useFakeTimers({ now: 100_000 }));
  afterEach(() => jest.useRealTimers());

  it('says nothing until the app says where the person is, then reports it on every (re)connect', () => {
    const socket = new FakeSocket();
    const channel = new PresenceChannel();
    channel.attach(socket);
    socket.open();
    expect(socket.sentNamed('presence')).toEqual([]);

    channel.look('job_1');
    expect(socket.sentNamed('presence').map((message) => message.payload)).toEqual([{ jobId: 'job_1' }]);
    channel.look('job_1');
    expect(socket.sentNamed('presence')).toHaveLength(1);

    socket.connected = false;
    channel.look(null);
    expect(socket.sentNamed('presence')).toHaveLength(1);
    socket.open();
    expect(socket.sentNamed('presence').map((message) => message.payload)).toEqual([
      { jobId: 'job_1' },
      { jobId: null },
    ]);
  });

  it('keeps the members from acks and from presence events, and tells listeners only about changes', () => {
    const socket = new FakeSocket();
    const channel = new PresenceChannel();
    const seen: number[] = [];
    channel.subscribe((current) => seen.push(current.members.length));
    channel.attach(socket);
    channel.look('job_1');
    socket.open();
    socket.sentNamed('presence')[0]!.ack!({ ok: true, members: MEMBERS });
    expect(channel.members).toEqual(MEMBERS);
    socket.fire('presence', { members: structuredClone(MEMBERS) });
    socket.fire('presence', { members: MEMBERS.slice(0, 1) });
    expect(seen).toEqual([3, 1]);
    expect(channel.members).toEqual(MEMBERS.slice(0, 1));

    // A refused report changes nothing.
    channel.look('job_2');
    socket.sentNamed('presence')[1]!.ack!({ ok: false, error: { code: 'rate_limited', message: 'slow down' } });
    expect(channel.members).toEqual(MEMBERS.slice(0, 1));
  });

  it('forgets everything, and ignores the old socket, once detached', () => {
    const socket = new FakeSocket();
    const channel = new PresenceChannel();
    channel.attach(socket);
    socket.fire('presence', { members: MEMBERS });
    channel.detach();
    expect(channel.members).toEqual([]);
    socket.fire('presence', { members: MEMBERS });
    socket.fire('typing', { jobId: 'job_1', user: ada });
    expect(channel.members).toEqual([]);
    expect(channel.typists('job_1')).toEqual([]);
  });

  it('sends typing notices at most every two seconds, and only while connected', () => {
    const socket = new FakeSocket();
    const channel = new PresenceChannel();
    channel.attach(socket);
    channel.typing('job_1');
    expect(socket.sentNamed('typing')).toEqual([]);
    socket.open();
    channel.typing('job_1');
    jest.advanceTimersByTime(500);
    channel.typing('job_1');
    jest.advanceTimersByTime(TYPING_SEND_INTERVAL_MS);
    channel.typing('job_1');
    expect(socket.sentNamed('typing').map((message) => message.payload)).toEqual([
      { jobId: 'job_1' },
      { jobId: 'job_1' },
    ]);
  });

  it('shows who is typing, and tells listeners when the notice runs out without another event', () => {
    const socket = new FakeSocket();
    const channel = new PresenceChannel();
    const seen: string[][] = [];
    channel.subscribe((current) => seen.push(current.typists('job_1').map((person) => person.name)));
    channel.attach(socket);
    socket.fire('typing', { jobId: 'job_1', user: bob });
    expect(channel.typists('job_1')).toEqual([bob]);
    jest.advanceTimersByTime(TYPING_SHOW_MS - 100);
    expect(channel.typists('job_1')).toEqual([bob]);
    jest.advanceTimersByTime(200);
    expect(channel.typists('job_1')).toEqual([]);
    expect(seen).toEqual([['Bob Builder'], []]);
  });
});
