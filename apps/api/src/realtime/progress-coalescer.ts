export interface SequencedEvent {
  seq: number;
  type: string;
}

/**
 * Limits task.progress deliveries of one task to one per `minGapMs` without reordering anything.
 * A progress event that comes too soon is held; a newer progress event replaces it (each carries
 * the full counters, so the older one is superseded) and any other event first releases it, so
 * the order by seq is kept. The caller calls `due` when `flushAt` has passed.
 */
export class ProgressCoalescer<E extends SequencedEvent> {
  private held: E | undefined;
  private lastProgressAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly minGapMs: number) {}

  /** Events to deliver now, in order, after `event` arrived. */
  push(event: E, now: number): E[] {
    if (event.type !== 'task.progress') {
      const out = this.held ? [this.held, event] : [event];
      if (this.held) this.lastProgressAt = now;
      this.held = undefined;
      return out;
    }
    if (!this.held && now - this.lastProgressAt >= this.minGapMs) {
      this.lastProgressAt = now;
      return [event];
    }
    this.held = event;
    return [];
  }

  /** When the held event may go out, or undefined when nothing is held. */
  get flushAt(): number | undefined {
    return this.held ? this.lastProgressAt + this.minGapMs : undefined;
  }

  /** The held event once its time has come. */
  due(now: number): E[] {
    if (!this.held || now < this.lastProgressAt + this.minGapMs) return [];
    const out = [this.held];
    this.held = undefined;
    this.lastProgressAt = now;
    return out;
  }
}
