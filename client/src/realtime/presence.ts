import type {
  ClientToServerEvents,
  PresenceAck,
  PresenceSnapshot,
  ServerToClientEvents,
  TypingNotice,
} from '@flightdeck/contract';
import type { Socket } from 'socket.io-client';

/** Someone shown in the console: who is here, who is typing. */
export interface Person {
  id: string;
  name: string;
}

/** One person online in the workspace, and the jobs they have open (as the gateway says). */
export type PresenceMember = PresenceSnapshot['members'][number];

/** How often the console says "I am typing" while someone writes a comment, at most. */
export const TYPING_SEND_INTERVAL_MS = 2_000;
/** How long "Ada is typing…" shows after Ada's last notice. */
export const TYPING_SHOW_MS = 4_000;

// ── Presence: pure functions over the gateway's member list ──────────────────────────────────

const NO_PEOPLE: readonly Person[] = Object.freeze([]);

/** The people other than `selfId` who have `jobId` open, by name. */
export function viewersOf(members: readonly PresenceMember[], jobId: string, selfId: string | null): readonly Person[] {
  const viewers = members
    .filter((member) => member.id !== selfId && member.jobIds.includes(jobId))
    .map(({ id, name }) => ({ id, name }));
  return viewers.length === 0 ? NO_PEOPLE : viewers;
}

/** For every open job, the people other than `selfId` who have it open (for the jobs table's rows). */
export function viewersByJob(
  members: readonly PresenceMember[],
  selfId: string | null,
): ReadonlyMap<string, readonly Person[]> {
  const byJob = new Map<string, Person[]>();
  for (const member of members) {
    if (member.id === selfId) continue;
    for (const jobId of member.jobIds) {
      const people = byJob.get(jobId) ?? [];
      people.push({ id: member.id, name: member.name });
      byJob.set(jobId, people);
    }
  }
  return byJob;
}

/** Whether two member lists say the same (so a repeated snapshot changes nothing downstream). */
export function samePresence(a: readonly PresenceMember[], b: readonly PresenceMember[]): boolean {
  return (
    a.length === b.length &&
    a.every((member, index) => {
      const other = b[index]!;
      return (
        member.id === other.id &&
        member.name === other.name &&
        member.jobIds.length === other.jobIds.length &&
        member.jobIds.every((jobId, at) => other.jobIds[at] === jobId)
      );
    })
  );
}

// ── Typing: pure functions ───────────────────────────────────────────────────────────────────

/** Who is typing where, and until when their notice shows; keyed `<jobId> <userId>`. */
export type TypingState = ReadonlyMap<string, { jobId: string; user: Person; until: number }>;

export const noTyping = (): TypingState => new Map();

/** The state after a typing notice arrived at `now`. */
export function noteTyping(state: TypingState, notice: TypingNotice, now: number): TypingState {
  const next = new Map(state);
  next.set(`${notice.jobId} ${notice.user.id}`, {
    jobId: notice.jobId,
    user: notice.user,
    until: now + TYPING_SHOW_MS,
  });
  return next;
}

/** The state without notices that ran out by `now` (the same object when none did). */
export function pruneTyping(state: TypingState, now: number): TypingState {
  let next: Map<string, { jobId: string; user: Person; until: number }> | undefined;
  for (const [key, entry] of state) {
    if (entry.until > now) continue;
    next ??= new Map(state);
    next.delete(key);
  }
  return next ?? state;
}

/** The people other than `selfId` typing a comment on `jobId` at `now`, in the order they started. */
export function typistsOf(state: TypingState, jobId: string, now: number, selfId: string | null): readonly Person[] {
  const typists: Person[] = [];
  for (const entry of state.values())
    if (entry.jobId === jobId && entry.until > now && entry.user.id !== selfId) typists.push(entry.user);
  return typists.length === 0 ? NO_PEOPLE : typists;
}

/** When the next notice runs out, if any does. */
export function nextTypingExpiry(state: TypingState): number | undefined {
  let next: number | undefined;
  for (const entry of state.values()) if (next === undefined || entry.until < next) next = entry.until;
  return next;
}

/** "Ada is typing…", "Ada and Bob are typing…", "3 people are typing…"; empty when nobody is. */
export function typingText(people: readonly Person[]): string {
  const [first, second] = people;
  if (!first) return '';
  if (!second) return `${first.name} is typing…`;
  if (people.length === 2) return `${first.name} and ${second.name} are typing…`;
  return `${people.length} people are typing…`;
}

/**
 * Whether a typing notice for `jobId` may go out at `now`, given when the last one went
 * (throttle: at most one every {@link TYPING_SEND_INTERVAL_MS}; another job's notice goes at once).
 */
export function shouldSendTyping(last: { jobId: string; at: number } | undefined, jobId: string, now: number): boolean {
  return !last || last.jobId !== jobId || now - last.at >= TYPING_SEND_INTERVAL_MS;
}

// ── The channel ──────────────────────────────────────────────────────────────────────────────

/** What the presence channel needs of a socket.io-client socket. */
export type PresenceSocket = Pick<Socket<ServerToClientEvents, ClientToServerEvents>, 'on' | 'emit' | 'connected'>;

export type PresenceListener = (channel: PresenceChannel) => void;

/** What components read of presence (the job page, and tests that stand in for it). */
export interface PresenceSource {
  /** Everyone online in the workspace who said where they are, you included. */
  readonly members: readonly PresenceMember[];
  /** The people typing a comment on `jobId` now (you included: filter with your id). */
  typists(jobId: string): readonly Person[];
  /** Says you are typing a comment on `jobId` (throttled: call it on every keystroke). */
  typing(jobId: string): void;
  /** Calls `listener` after every change; returns the function that stops it. */
  subscribe(listener: PresenceListener): () => void;
}

/**
 * The console's side of presence: tells the gateway what the person looks at (a job, or just the
 * workspace), again after every reconnect, and keeps who is where and who is typing. Nothing is
 * sent until the app first says where the person is ({@link look}).
 */
export class PresenceChannel implements PresenceSource {
  private socket: PresenceSocket | undefined;
  private looking: { jobId: string | null } | undefined;
  private membersNow: readonly PresenceMember[] = [];
  private typingNow: TypingState = noTyping();
  private lastTyping: { jobId: string; at: number } | undefined;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<PresenceListener>();

  constructor(private readonly now: () => number = Date.now) {}

  get members(): readonly PresenceMember[] {
    return this.membersNow;
  }

  /**
   * Starts using `socket`: reports where the person is on every `connect` (and now, when it is
   * connected already). A detached socket's events are ignored (its owner removes the listeners).
   */
  attach(socket: PresenceSocket): void {
    this.detach();
    this.socket = socket;
    const mine = () => this.socket === socket;
    socket.on('connect', () => {
      if (mine()) this.report();
    });
    socket.on('presence', (snapshot: PresenceSnapshot) => {
      if (mine()) this.setMembers(snapshot.members);
    });
    socket.on('typing', (notice: TypingNotice) => {
      if (mine()) this.onTyping(notice);
    });
    if (socket.connected) this.report();
  }

  /** Stops using the socket; who was here is forgotten (it is no longer known). */
  detach(): void {
    this.socket = undefined;
    clearTimeout(this.expiryTimer);
    this.typingNow = noTyping();
    this.setMembers([]);
  }

  /** Says what the person looks at now: a job's page, or `null` for anything else. */
  look(jobId: string | null): void {
    if (this.looking && this.looking.jobId === jobId) return;
    this.looking = { jobId };
    this.report();
  }

  typing(jobId: string): void {
    const now = this.now();
    if (!this.socket?.connected || !shouldSendTyping(this.lastTyping, jobId, now)) return;
    this.lastTyping = { jobId, at: now };
    this.socket.emit('typing', { jobId });
  }

  typists(jobId: string): readonly Person[] {
    return typistsOf(this.typingNow, jobId, this.now(), null);
  }

  subscribe(listener: PresenceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private report(): void {
    const socket = this.socket;
    if (!socket?.connected || !this.looking) return;
    socket.emit('presence', { jobId: this.looking.jobId }, (ack: PresenceAck) => {
      if (ack.ok && socket === this.socket) this.setMembers(ack.members);
    });
  }

  private setMembers(members: readonly PresenceMember[]): void {
    if (samePresence(this.membersNow, members)) return;
    this.membersNow = members;
    this.changed();
  }

  private onTyping(notice: TypingNotice): void {
    this.typingNow = noteTyping(pruneTyping(this.typingNow, this.now()), notice, this.now());
    this.scheduleExpiry();
    this.changed();
  }

  /** Tells listeners when a "typing…" notice runs out, so it disappears without another event. */
  private scheduleExpiry(): void {
    clearTimeout(this.expiryTimer);
    const next = nextTypingExpiry(this.typingNow);
    if (next === undefined) return;
    this.expiryTimer = setTimeout(
      () => {
        const pruned = pruneTyping(this.typingNow, this.now());
        if (pruned !== this.typingNow) {
          this.typingNow = pruned;
          this.changed();
        }
        this.scheduleExpiry();
      },
      Math.max(0, next - this.now()) + 10,
    );
  }

  private changed(): void {
    for (const listener of this.listeners) listener(this);
  }
}
