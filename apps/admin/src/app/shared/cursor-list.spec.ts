import { describe, expect, it, vi } from 'vitest';
import { CursorList, RELOAD_MAX_PAGES, type ListPage } from './cursor-list';

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

/** A controlled list showing two pages, ['a'] then ['b'] ("Load more"), its two requests answered. */
async function controlledWithTwoPages(): Promise<ReturnType<typeof controlled>> {
  const controlledList = controlled();
  const { list, calls } = controlledList;
  const first = list.reload();
  calls[0]!.answer.resolve({ items: ['a'], nextCursor: 'a' });
  await first;
  const more = list.more();
  calls[1]!.answer.resolve({ items: ['b'], nextCursor: 'b' });
  await more;
  return controlledList;
}

/**
 * A list over pages the test can change behind it: page k answers cursor `p<k>` (the first page no cursor),
 * and every page but the last points to the next one. With no pages, every fetch fails.
 */
function server(initial: string[][]) {
  let pages = initial;
  const calls: Array<string | undefined> = [];
  const list = new CursorList<string>(async (_q, cursor) => {
    calls.push(cursor);
    if (pages.length === 0) throw new Error('down');
    const index = cursor ? Number(cursor.slice(1)) : 0;
    return { items: pages[index] ?? [], nextCursor: index + 1 < pages.length ? `p${index + 1}` : null };
  });
  return { list, calls, serve: (next: string[][]) => (pages = next) };
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

  it('reloads as many items as are shown, following the cursors, and replaces the list only once all pages arrived', async () => {
    const { list, calls } = controlled();
    const searched = list.search('acme');
    calls[0]!.answer.resolve({ items: ['a', 'b'], nextCursor: 'b' });
    await searched;
    const more = list.more();
    calls[1]!.answer.resolve({ items: ['c', 'd'], nextCursor: 'd' });
    await more;
    const evenMore = list.more();
    calls[2]!.answer.resolve({ items: ['e'], nextCursor: 'e' });
    await evenMore;
    expect(list.items()).toEqual(['a', 'b', 'c', 'd', 'e']);

    const reloaded = list.reload();
    expect(calls[3]).toMatchObject({ q: 'acme', cursor: undefined });
    expect(list.loadingFirstPage()).toBe(true);
    calls[3]!.answer.resolve({ items: ['new', 'a'], nextCursor: 'a' });
    await vi.waitFor(() => expect(calls).toHaveLength(5));
    expect(calls[4]).toMatchObject({ q: 'acme', cursor: 'a' });
    expect(list.items()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(list.loadingFirstPage()).toBe(true);
    expect(list.loadingMore()).toBe(false);
    calls[4]!.answer.resolve({ items: ['b', 'c'], nextCursor: 'c' });
    await vi.waitFor(() => expect(calls).toHaveLength(6));
    expect(calls[5]).toMatchObject({ q: 'acme', cursor: 'c' });
    expect(list.items()).toEqual(['a', 'b', 'c', 'd', 'e']);
    calls[5]!.answer.resolve({ items: ['d', 'e'], nextCursor: 'e2' });
    expect(await reloaded).toBe(true);
    expect(calls).toHaveLength(6);
    expect(list.items()).toEqual(['new', 'a', 'b', 'c', 'd', 'e']);
    expect(list.nextCursor()).toBe('e2');
    expect(list.lastPage()).toEqual({ items: ['d', 'e'], nextCursor: 'e2' });
    expect(list.loading()).toBe(false);
  });

  it('stops a reload where the server now ends, with fewer items than were shown', async () => {
    const { list, calls, serve } = server([['a', 'b'], ['c', 'd'], ['e', 'f']]);
    await list.reload();
    await list.more();
    await list.more();
    expect(list.items()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);

    serve([['a', 'c'], ['f']]);
    calls.length = 0;
    expect(await list.reload()).toBe(true);
    expect(calls).toEqual([undefined, 'p1']);
    expect(list.items()).toEqual(['a', 'c', 'f']);
    expect(list.nextCursor()).toBeNull();
    expect(list.lastPage()).toEqual({ items: ['f'], nextCursor: null });
  });

  it('keeps the list as it was and sets the error when a later page of a reload fails', async () => {
    const { list, calls } = await controlledWithTwoPages();

    const reloaded = list.reload();
    calls[2]!.answer.resolve({ items: ['a2'], nextCursor: 'a2' });
    await vi.waitFor(() => expect(calls).toHaveLength(4));
    expect(calls[3]).toMatchObject({ cursor: 'a2' });
    calls[3]!.answer.reject({ status: 400, title: 'Bad Request', detail: 'The cursor is no longer valid.', requestId: 'r9' });
    expect(await reloaded).toBe(false);
    expect(list.items()).toEqual(['a', 'b']);
    expect(list.nextCursor()).toBe('b');
    expect(list.lastPage()).toEqual({ items: ['b'], nextCursor: 'b' });
    expect(list.errorText()).toBe('The cursor is no longer valid. — request r9');
    expect(list.loading()).toBe(false);
  });

  it('drops a reload a newer one overtook, whether it was on its first page or a later one', async () => {
    const { list, calls } = await controlledWithTwoPages();

    // Overtaken on its first page: it asks for no further page.
    const older = list.reload();
    const newer = list.reload();
    calls[2]!.answer.resolve({ items: ['old'], nextCursor: 'old' });
    expect(await older).toBe(false);
    expect(calls).toHaveLength(4);
    calls[3]!.answer.resolve({ items: ['a2'], nextCursor: 'a2' });
    await vi.waitFor(() => expect(calls).toHaveLength(5));

    // Overtaken on its second page: a third reload starts, then the second one's late page arrives.
    const newest = list.reload();
    calls[4]!.answer.resolve({ items: ['late'], nextCursor: null });
    expect(await newer).toBe(false);
    expect(list.items()).toEqual(['a', 'b']);
    expect(list.loadingFirstPage()).toBe(true);
    calls[5]!.answer.resolve({ items: ['a3'], nextCursor: 'a3' });
    await vi.waitFor(() => expect(calls).toHaveLength(7));
    calls[6]!.answer.resolve({ items: ['b3'], nextCursor: null });
    expect(await newest).toBe(true);
    expect(list.items()).toEqual(['a3', 'b3']);
    expect(list.nextCursor()).toBeNull();
    expect(list.loading()).toBe(false);
  });

  it('never chains more than RELOAD_MAX_PAGES requests in one reload', async () => {
    const pages = Array.from({ length: 40 }, (_, page) => [`i${page}`]);
    const { list, calls } = server(pages);
    await list.reload();
    for (let page = 1; page < 30; page++) await list.more();
    expect(list.items()).toHaveLength(30);
    calls.length = 0;

    expect(await list.reload()).toBe(true);
    expect(calls).toHaveLength(RELOAD_MAX_PAGES);
    expect(list.items()).toEqual(pages.slice(0, RELOAD_MAX_PAGES).flat());
    expect(list.nextCursor()).toBe(`p${RELOAD_MAX_PAGES}`);
  });

  it('starts a new query from its first page only, offers no "more" while the items shown are of an older one, and reloads its first page', async () => {
    const pages = [['a', 'b'], ['c', 'd'], ['e', 'f']];
    const { list, calls, serve } = server(pages);
    await list.search('x');
    await list.more();
    await list.more();
    calls.length = 0;
    expect(await list.search('y')).toBe(true);
    expect(calls).toEqual([undefined]);
    expect(list.items()).toEqual(['a', 'b']);

    await list.more();
    await list.more();
    calls.length = 0;
    expect(await list.restart()).toBe(true);
    expect(calls).toEqual([undefined]);
    expect(list.items()).toEqual(['a', 'b']);

    await list.more();
    serve([]);
    expect(await list.search('z')).toBe(false);
    expect(list.items()).toHaveLength(4);
    // The items shown are of the older query: no "Load more" that would page the new one with their cursor.
    expect(list.nextCursor()).toBeNull();
    calls.length = 0;
    await list.more();
    expect(calls).toEqual([]);
    serve(pages);
    calls.length = 0;
    expect(await list.reload()).toBe(true);
    expect(calls).toEqual([undefined]);
    expect(list.items()).toEqual(['a', 'b']);
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
