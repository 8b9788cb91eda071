import type { AnyTaskEvent } from '@leadforge/contracts';

/**
 * Delivers one task's events at most once and never backwards in `seq`. The server sends them in
 * order but may leave gaps (superseded task.progress events are coalesced), so a gap is not waited
 * on; what matters is that a replay after a reconnect (`sinceSeq = lastSeq`) and live events that
 * overlap it are not applied twice, and that nothing older than what is shown overwrites it.
 */
export class TaskEventSequencer {
  private last: number;

  constructor(
    private readonly deliver: (event: AnyTaskEvent) => void,
    lastSeq = 0,
  ) {
    this.last = lastSeq;
  }

  /** The highest seq delivered: what to resubscribe with (`sinceSeq`) after a reconnect. */
  get lastSeq(): number {
    return this.last;
  }

  /** Returns whether the event was delivered. */
  accept(event: AnyTaskEvent): boolean {
    if (!Number.isInteger(event.seq) || event.seq <= this.last) return false;
    this.last = event.seq;
    this.deliver(event);
    return true;
  }
}
