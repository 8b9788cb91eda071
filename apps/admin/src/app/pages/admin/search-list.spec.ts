import { describe, expect, it } from 'vitest';
import { SearchList, type ListPage } from './search-list';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('SearchList', () => {
  it('pages with the cursor of the same search, and trims and bounds the search', async () => {
    const calls: Array<[string | undefined, string | undefined]> = [];
    const list = new SearchList<string>(async (q, cursor) => {
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
    const list = new SearchList<string>((q) => {
      const answer = deferred<ListPage<string>>();
      answers.set(q ?? '', answer);
      return answer.promise;
    });
    const first = list.search('ad');
    const second = list.search('ada');
    answers.get('ada')!.resolve({ items: ['ada'], nextCursor: null });
    await second;
    answers.get('ad')!.resolve({ items: ['adam', 'ada'], nextCursor: 'x' });
    await first;
    expect(list.items()).toEqual(['ada']);
    expect(list.nextCursor()).toBeNull();
    expect(list.loading()).toBe(false);
  });

  it('keeps the error for the page to show', async () => {
    const problem = { status: 400, title: 'Bad Request', detail: 'q too long', requestId: 'r1' };
    const list = new SearchList<string>(() => Promise.reject(problem));
    await list.search('x');
    expect(list.error()).toBe(problem);
    expect(list.loading()).toBe(false);
  });
});
