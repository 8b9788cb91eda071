import type { AnyTaskEvent } from '@leadforge/contracts';
import { describe, expect, it } from 'vitest';
import { TaskEventSequencer } from './task-sequencer';

const progress = (seq: number): AnyTaskEvent => ({ taskId: 't', seq, at: '2026-01-01T00:00:00Z', pagesQueued: 10, pagesFetched: seq, pagesFailed: 0, leadsFound: 0, leadsStored: 0, duplicates: 0, suppressed: 0, percent: seq * 10, pagesPerSecond: 1, etaSeconds: 10 - seq });
const log = (seq: number): AnyTaskEvent => ({ taskId: 't', seq, at: '2026-01-01T00:00:00Z', level: 'info', message: `line ${seq}` });

describe('TaskEventSequencer', () => {
  it('applies a replay after a reconnect without repeating what was already shown, and resumes from the last seq', () => {
    const shown: number[] = [];
    const sequencer = new TaskEventSequencer((event) => shown.push(event.seq));
    [log(1), progress(2), log(3)].forEach((event) => sequencer.accept(event));
    expect(sequencer.lastSeq).toBe(3);
    // Reconnect: subscribe { sinceSeq: 3 }; a live event that raced the replay arrives twice.
    [log(4), progress(5), log(4), progress(5), log(6)].forEach((event) => sequencer.accept(event));
    expect(shown).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sequencer.lastSeq).toBe(6);
  });

  it('never goes backwards: an older event after a newer one is dropped', () => {
    const shown: number[] = [];
    const sequencer = new TaskEventSequencer((event) => shown.push(event.seq));
    expect(sequencer.accept(progress(7))).toBe(true);
    expect(sequencer.accept(progress(5))).toBe(false);
    expect(shown).toEqual([7]);
  });

  it('does not wait on gaps: coalesced progress events leave holes in seq', () => {
    const shown: number[] = [];
    const sequencer = new TaskEventSequencer((event) => shown.push(event.seq), 2);
    [progress(2), progress(6), log(7), progress(9)].forEach((event) => sequencer.accept(event));
    expect(shown).toEqual([6, 7, 9]);
  });
});
