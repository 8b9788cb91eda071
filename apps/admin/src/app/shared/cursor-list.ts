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
 * State of a cursor-paged list, optionally searched: the latest first-page request wins (an older answer
 * arriving late is dropped), "more" appends the next page of the same query.
 * `P` is the page as the API answers it, when it carries more than the items (counts, a balance).
 */
export class CursorList<T, P extends ListPage<T> = ListPage<T>> {
  readonly items = signal<T[]>([]);
  readonly nextCursor = signal<string | null>(null);
  /** The latest answer shown, first page or "more", for what comes along with the items; null until one is shown. */
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

  constructor(
    private readonly fetchPage: (q: string | undefined, cursor: string | undefined) => Promise<P>,
    private readonly options: CursorListOptions = {},
  ) {}

  /** Resolves true when its answer was shown, false when it failed or a newer request replaced it. */
  search(query: string): Promise<boolean> {
    this.query.set(query.trim().slice(0, 100));
    return this.loadFirstPage();
  }

  /** The first page of the current query again; the list stays as it is until the answer arrives. */
  reload(): Promise<boolean> {
    return this.loadFirstPage();
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
    this.show(page, false);
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
      this.show(page, true);
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

  private async loadFirstPage(): Promise<boolean> {
    const generation = ++this.generation;
    this.loadingFirstPage.set(true);
    this.loadingMore.set(false);
    this.error.set(null);
    try {
      const page = await this.fetchPage(this.query() || undefined, undefined);
      if (generation !== this.generation) return false;
      this.show(page, false);
      return true;
    } catch (error) {
      if (generation === this.generation) this.error.set(error);
      return false;
    } finally {
      if (generation === this.generation) this.loadingFirstPage.set(false);
    }
  }

  private show(page: P, append: boolean): void {
    this.items.update((items) => (append ? [...items, ...page.items] : page.items));
    this.nextCursor.set(page.nextCursor);
    this.lastPage.set(page);
  }
}
