import { describe, expect, it } from 'vitest';
import { CursorList, type ListPage } from './cursor-list';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((done, fail) => ((resolve = done), (reject = fail)));
  return { promise, resolve, reject };
}

/** A list whose every fetch waits until the test answers it, in whatever order the test likes. */
function controlled() {
  const calls: Array<{ q: string | undefined; cursor: string | undefined; answer: ReturnType<typeof deferred<ListPage<string>>> }> = [];
  const list = new CursorList<string>((q, cursor) => {
    const answer = deferred<ListPage<string>>();
    calls.push({ q, cursor, answer });
    return answer.promise;
  });
  return { list, calls };
}

describe('CursorList', () => {
  it('pages with the cursor of the same search, and trims and bounds the search', async () => {
    const calls: Array<[string | undefined, string | undefined]> = [];
    const list = new CursorList<string>(async (q, cursor) => {
      calls.push([q, cursor]);
      return cursor ? { items: ['c'], nextCursor: null } : { items: ['a', 'b'], nextCursor: 'b' };
    });
    await list.search(`  ${'x'.repeat(150)}  `);
    await list.more();
    expect(calls).toEqual([['x'.repeat(100), undefined], ['x'.repeat(100), 'b']]);
    expect(list.items()).toEqual(['a', 'b', 'c']);
    expect(list.nextCursor()).toBeNull();
    await list.search('   ');
    expect(calls.at(-1)).toEqual([undefined, undefined]);
  });

  it('keeps the latest search when an older answer arrives late', async () => {
    const answers = new Map<string, ReturnType<typeof deferred<ListPage<string>>>>();
    const list = new CursorList<string>((q) => {
      const answer = deferred<ListPage<string>>();
      answers.set(q ?? '', answer);
      return answer.promise;
    });
    const first = list.search('ad');
    const second = list.search('ada');
    answers.get('ada')!.resolve({ items: ['ada'], nextCursor: null });
    expect(await second).toBe(true);
    answers.get('ad')!.resolve({ items: ['adam', 'ada'], nextCursor: 'x' });
    expect(await first).toBe(false);
    expect(list.items()).toEqual(['ada']);
    expect(list.nextCursor()).toBeNull();
    expect(list.loading()).toBe(false);
  });

  it('keeps the error for the page to show', async () => {
    const problem = { status: 400, title: 'Bad Request', detail: 'q too long', requestId: 'r1' };
    const list = new CursorList<string>(() => Promise.reject(problem));
    expect(await list.search('x')).toBe(false);
    expect(list.error()).toBe(problem);
    expect(list.loading()).toBe(false);
  });

  it('describes the error for the page to show, and drops the description once an answer is shown', async () => {
    const { list, calls } = controlled();
    expect(list.errorText()).toBeNull();
    const failed = list.reload();
    calls[0]!.answer.reject({ status: 422, title: 'Unprocessable Content', detail: 'Invalid filters', errors: [{ field: 'limit', message: 'too big' }], requestId: 'r3' });
    await failed;
    expect(list.errorText()).toBe('Invalid filters (limit: too big) — request r3');

    const retried = list.reload();
    expect(list.errorText()).toBeNull();
    calls[1]!.answer.reject(new TypeError('Failed to fetch'));
    await retried;
    expect(list.errorText()).toBe('The server could not be reached. Check your connection and try again.');

    const worked = list.reload();
    calls[2]!.answer.resolve({ items: ['a'], nextCursor: null });
    await worked;
    expect(list.errorText()).toBeNull();
  });

  it('reloads the first page of the current search, keeping the list on screen until the answer arrives', async () => {
    const { list, calls } = controlled();
    const searched = list.search('acme');
    calls[0]!.answer.resolve({ items: ['a', 'b'], nextCursor: 'b' });
    await searched;
    const more = list.more();
    calls[1]!.answer.resolve({ items: ['c'], nextCursor: null });
    await more;

    const reloaded = list.reload();
    expect(calls[2]).toMatchObject({ q: 'acme', cursor: undefined });
    expect(list.items()).toEqual(['a', 'b', 'c']);
    expect(list.loadingFirstPage()).toBe(true);
    calls[2]!.answer.resolve({ items: ['a2', 'b2'], nextCursor: 'b2' });
    expect(await reloaded).toBe(true);
    expect(list.items()).toEqual(['a2', 'b2']);
    expect(list.nextCursor()).toBe('b2');
    expect(list.loading()).toBe(false);
  });

  it('drops an older reload that answers after a newer one', async () => {
    const { list, calls } = controlled();
    const older = list.reload();
    const newer = list.reload();
    calls[1]!.answer.resolve({ items: ['new'], nextCursor: null });
    expect(await newer).toBe(true);
    calls[0]!.answer.resolve({ items: ['old'], nextCursor: 'old' });
    expect(await older).toBe(false);
    expect(list.items()).toEqual(['new']);
    expect(list.nextCursor()).toBeNull();
    expect(list.loadingFirstPage()).toBe(false);
  });

  it('drops a failure of an older reload once a newer one answered', async () => {
    const { list, calls } = controlled();
    const older = list.reload();
    const newer = list.reload();
    calls[1]!.answer.resolve({ items: ['new'], nextCursor: null });
    await newer;
    calls[0]!.answer.reject(new Error('late'));
    expect(await older).toBe(false);
    expect(list.error()).toBeNull();
    expect(list.items()).toEqual(['new']);
  });

  it('tells a first-page load from a "more", and drops a "more" a newer first page overtook', async () => {
    const { list, calls } = controlled();
    const first = list.reload();
    await list.more();
    expect(calls).toHaveLength(1);
    calls[0]!.answer.resolve({ items: ['a'], nextCursor: 'a' });
    await first;

    const more = list.more();
    expect(list.loadingMore()).toBe(true);
    expect(list.loadingFirstPage()).toBe(false);
    expect(list.loading()).toBe(true);
    await list.more();
    expect(calls).toHaveLength(2);

    const reloaded = list.reload();
    expect(list.loadingMore()).toBe(false);
    expect(list.loadingFirstPage()).toBe(true);
    calls[2]!.answer.resolve({ items: ['a2'], nextCursor: null });
    await reloaded;
    calls[1]!.answer.resolve({ items: ['b'], nextCursor: 'b' });
    await more;
    expect(list.items()).toEqual(['a2']);
    expect(list.nextCursor()).toBeNull();
    expect(list.loading()).toBe(false);
  });

  it('hands a failed "more" to onMoreError and keeps the list, or else keeps it as the error', async () => {
    const problem = { status: 503, title: 'Service Unavailable', requestId: 'r2' };
    const fetchPage = async (_q: string | undefined, cursor: string | undefined) => {
      if (cursor) throw problem;
      return { items: ['a'], nextCursor: 'a' };
    };
    const reported: unknown[] = [];
    const reporting = new CursorList<string>(fetchPage, { onMoreError: (error) => reported.push(error) });
    await reporting.reload();
    await reporting.more();
    expect(reported).toEqual([problem]);
    expect(reporting.error()).toBeNull();
    expect(reporting.items()).toEqual(['a']);
    expect(reporting.nextCursor()).toBe('a');
    expect(reporting.loading()).toBe(false);

    const plain = new CursorList<string>(fetchPage);
    await plain.reload();
    await plain.more();
    expect(plain.error()).toBe(problem);
    expect(plain.loading()).toBe(false);
  });

  it('replaces and removes items in place', async () => {
    const list = new CursorList<{ id: number; name: string }>(async () => ({ items: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }, { id: 3, name: 'c' }], nextCursor: null }));
    await list.reload();
    list.replace((item) => item.id === 2, { id: 2, name: 'B' });
    list.remove((item) => item.id === 1);
    expect(list.items()).toEqual([{ id: 2, name: 'B' }, { id: 3, name: 'c' }]);
  });

  it('clears an error once a later "more" is shown', async () => {
    const { list, calls } = controlled();
    const first = list.reload();
    calls[0]!.answer.resolve({ items: ['a'], nextCursor: 'a' });
    await first;
    const failed = list.more();
    calls[1]!.answer.reject(new Error('timeout'));
    await failed;
    expect(list.error()).toEqual(new Error('timeout'));
    expect(list.items()).toEqual(['a']);

    const retried = list.more();
    expect(calls[2]).toMatchObject({ cursor: 'a' });
    expect(list.error()).toEqual(new Error('timeout'));
    calls[2]!.answer.resolve({ items: ['b'], nextCursor: null });
    await retried;
    expect(list.error()).toBeNull();
    expect(list.items()).toEqual(['a', 'b']);
  });

  it('keeps the latest answer shown with what it carries besides the items', async () => {
    type Counted = ListPage<string> & { total: number };
    const answers = new Map<string | undefined, Counted>([
      [undefined, { items: ['a'], nextCursor: 'a', total: 3 }],
      ['a', { items: ['b'], nextCursor: 'b', total: 4 }],
    ]);
    const list = new CursorList<string, Counted>(async (_q, cursor) => {
      const page = answers.get(cursor);
      if (!page) throw new Error('gone');
      return page;
    });
    expect(list.lastPage()).toBeNull();
    await list.reload();
    expect(list.lastPage()?.total).toBe(3);
    await list.more();
    expect(list.lastPage()?.total).toBe(4);
    await list.more();
    expect(list.error()).toEqual(new Error('gone'));
    expect(list.lastPage()?.total).toBe(4);
  });

  it('shows a first page fetched elsewhere, dropping a request under way, and pages on from it', async () => {
    const { list, calls } = controlled();
    const reloaded = list.reload();
    list.showFirstPage({ items: ['a'], nextCursor: 'a' });
    expect(list.items()).toEqual(['a']);
    expect(list.lastPage()).toEqual({ items: ['a'], nextCursor: 'a' });
    expect(list.loading()).toBe(false);
    calls[0]!.answer.resolve({ items: ['late'], nextCursor: null });
    expect(await reloaded).toBe(false);
    expect(list.items()).toEqual(['a']);

    const more = list.more();
    expect(calls[1]).toMatchObject({ q: undefined, cursor: 'a' });
    calls[1]!.answer.resolve({ items: ['b'], nextCursor: null });
    await more;
    expect(list.items()).toEqual(['a', 'b']);
    expect(list.nextCursor()).toBeNull();
  });
});
