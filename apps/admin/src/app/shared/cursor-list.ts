import { computed, signal } from '@angular/core';
import { describeError } from '../core/problem';

export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CursorListOptions {
  /** Where a failed "more" goes instead of `error`, for pages that keep the list on screen and report it elsewhere. */
  onMoreError?: (error: unknown) => void;
}

/**
 * A refresh follows the cursors only until it has what was on screen, and never more than this many pages:
 * the task list refreshes on every live task change and the deliveries page polls, so a long list must not turn
 * each refresh into an unbounded run of requests. A list longer than that comes back shorter, with "Load more".
 */
export const RELOAD_MAX_PAGES = 20;

/**
 * State of a cursor-paged list, optionally searched: the latest load wins (an older answer arriving late is
 * dropped), "more" appends the next page of the same query. A new query (`search`, `restart`) starts from its
 * first page; `reload` refreshes the current one and keeps as many items as are shown.
 * `P` is the page as the API answers it, when it carries more than the items (counts, a balance).
 */
export class CursorList<T, P extends ListPage<T> = ListPage<T>> {
  readonly items = signal<T[]>([]);
  readonly nextCursor = signal<string | null>(null);
  /** The latest page shown (the last one a reload fetched), for what comes along with the items; null until one is shown. */
  readonly lastPage = signal<P | null>(null);
  readonly loadingFirstPage = signal(false);
  readonly loadingMore = signal(false);
  readonly loading = computed(() => this.loadingFirstPage() || this.loadingMore());
  readonly error = signal<unknown>(null);
  /** `error` as a sentence for the page to show (with the request id when there is one); null while there is none. */
  readonly errorText = computed(() => {
    const error = this.error();
    return error ? describeError(error) : null;
  });
  readonly query = signal('');
  private generation = 0;
  /** False from the start of a new query until one of its answers is shown: the items on screen are of an older one. */
  private itemsOfQuery = true;

  constructor(
    private readonly fetchPage: (q: string | undefined, cursor: string | undefined) => Promise<P>,
    private readonly options: CursorListOptions = {},
  ) {}

  /** Resolves true when its answer was shown, false when it failed or a newer request replaced it. */
  search(query: string): Promise<boolean> {
    this.query.set(query.trim().slice(0, 100));
    return this.restart();
  }

  /** The first page only of the current query, for when what the fetch reads besides it (a filter) changed; resolves like `search`. */
  restart(): Promise<boolean> {
    this.itemsOfQuery = false;
    return this.load(0);
  }

  /**
   * The current query again, as long as it was: the first page, then the next ones until there are at least as
   * many items as are shown (or no more pages, or `RELOAD_MAX_PAGES`). The list stays as it is until all of them
   * arrived and is then replaced at once; if one of them fails, it stays and `error` is set. While the items shown
   * are of an older query (a new one failed or is under way), only the first page. Resolves like `search`.
   */
  reload(): Promise<boolean> {
    return this.load(this.itemsOfQuery ? this.items().length : 0);
  }

  /**
   * Shows a first page the page fetched itself (e.g. together with the rest of the page) as if `reload()` had
   * answered it; a request still under way is dropped.
   */
  showFirstPage(page: P): void {
    this.generation++;
    this.loadingFirstPage.set(false);
    this.loadingMore.set(false);
    this.error.set(null);
    this.show(page, page.items);
  }

  /** Appends the next page; once it is shown, an error left by an earlier request is cleared. */
  async more(): Promise<void> {
    const cursor = this.nextCursor();
    if (!cursor || this.loading()) return;
    const generation = this.generation;
    this.loadingMore.set(true);
    try {
      const page = await this.fetchPage(this.query() || undefined, cursor);
      if (generation !== this.generation) return;
      this.show(page, [...this.items(), ...page.items]);
      this.error.set(null);
    } catch (error) {
      if (generation !== this.generation) return;
      if (this.options.onMoreError) this.options.onMoreError(error);
      else this.error.set(error);
    } finally {
      if (generation === this.generation) this.loadingMore.set(false);
    }
  }

  replace(match: (item: T) => boolean, next: T): void {
    this.items.update((items) => items.map((item) => (match(item) ? next : item)));
  }

  remove(match: (item: T) => boolean): void {
    this.items.update((items) => items.filter((item) => !match(item)));
  }

  /** A first-page load for the UI, following the cursors until it has `keep` items; shown only once complete. */
  private async load(keep: number): Promise<boolean> {
    const generation = ++this.generation;
    this.loadingFirstPage.set(true);
    this.loadingMore.set(false);
    this.error.set(null);
    try {
      const q = this.query() || undefined;
      let page = await this.fetchPage(q, undefined);
      let items = page.items;
      for (let pages = 1; items.length < keep && page.nextCursor && pages < RELOAD_MAX_PAGES; pages++) {
        if (generation !== this.generation) return false;
        page = await this.fetchPage(q, page.nextCursor);
        items = [...items, ...page.items];
      }
      if (generation !== this.generation) return false;
      this.show(page, items);
      return true;
    } catch (error) {
      if (generation !== this.generation) return false;
      this.error.set(error);
      // The items shown are of an older query: their cursor must not page the new one.
      if (!this.itemsOfQuery) this.nextCursor.set(null);
      return false;
    } finally {
      if (generation === this.generation) this.loadingFirstPage.set(false);
    }
  }

  private show(page: P, items: T[]): void {
    this.itemsOfQuery = true;
    this.items.set(items);
    this.nextCursor.set(page.nextCursor);
    this.lastPage.set(page);
  }
}
