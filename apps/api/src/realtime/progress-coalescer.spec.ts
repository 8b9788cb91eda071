import { describe, expect, it } from 'vitest';
import { ProgressCoalescer } from './progress-coalescer';

const progress = (seq: number) => ({ seq, type: 'task.progress' });
const other = (seq: number) => ({ seq, type: 'task.leads' });
const seqs = (events: Array<{ seq: number }>) => events.map((event) => event.seq);

describe('ProgressCoalescer', () => {
  it('delivers the first progress at once and holds the next one until the gap has passed', () => {
    const coalescer = new ProgressCoalescer(250);
    expect(seqs(coalescer.push(progress(1), 1000))).toEqual([1]);
    expect(coalescer.push(progress(2), 1100)).toEqual([]);
    expect(coalescer.flushAt).toBe(1250);
    expect(coalescer.due(1200)).toEqual([]);
    expect(seqs(coalescer.due(1250))).toEqual([2]);
    expect(coalescer.flushAt).toBeUndefined();
  });

  it('lets a newer progress replace a held one (at most one per gap)', () => {
    const coalescer = new ProgressCoalescer(250);
    const out = [...coalescer.push(progress(1), 0)];
    for (let seq = 2; seq <= 50; seq += 1) out.push(...coalescer.push(progress(seq), seq * 5));
    out.push(...coalescer.due(250));
    expect(seqs(out)).toEqual([1, 50]);
  });

  it('releases a held progress before any other event, so the order by seq is kept', () => {
    const coalescer = new ProgressCoalescer(250);
    coalescer.push(progress(1), 0);
    coalescer.push(progress(2), 10);
    expect(seqs(coalescer.push(other(3), 20))).toEqual([2, 3]);
    expect(coalescer.flushAt).toBeUndefined();
    expect(coalescer.push(progress(4), 30)).toEqual([]);
    expect(seqs(coalescer.due(270))).toEqual([4]);
  });

  it('never delays other event types', () => {
    const coalescer = new ProgressCoalescer(250);
    expect(seqs([...coalescer.push(other(1), 0), ...coalescer.push(other(2), 0), ...coalescer.push({ seq: 3, type: 'task.status' }, 0)])).toEqual([1, 2, 3]);
  });
});
