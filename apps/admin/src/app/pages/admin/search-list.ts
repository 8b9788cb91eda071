import { signal } from '@angular/core';

export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * State of a searchable, cursor-paged list: the latest search wins (an older answer arriving late
 * is dropped), "more" appends the next page of the same search.
 */
export class SearchList<T> {
  readonly items = signal<T[]>([]);
  readonly nextCursor = signal<string | null>(null);
  readonly loading = signal(false);
  readonly error = signal<unknown>(null);
  readonly query = signal('');
  private generation = 0;

  constructor(private readonly fetchPage: (q: string | undefined, cursor: string | undefined) => Promise<ListPage<T>>) {}

  async search(query: string): Promise<void> {
    const q = query.trim().slice(0, 100);
    this.query.set(q);
    const generation = ++this.generation;
    this.loading.set(true);
    this.error.set(null);
    try {
      const page = await this.fetchPage(q || undefined, undefined);
      if (generation !== this.generation) return;
      this.items.set(page.items);
      this.nextCursor.set(page.nextCursor);
    } catch (error) {
      if (generation === this.generation) this.error.set(error);
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }

  async more(): Promise<void> {
    const cursor = this.nextCursor();
    if (!cursor || this.loading()) return;
    const generation = this.generation;
    this.loading.set(true);
    try {
      const page = await this.fetchPage(this.query() || undefined, cursor);
      if (generation !== this.generation) return;
      this.items.update((items) => [...items, ...page.items]);
      this.nextCursor.set(page.nextCursor);
    } catch (error) {
      if (generation === this.generation) this.error.set(error);
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }

  replace(match: (item: T) => boolean, next: T): void {
    this.items.update((items) => items.map((item) => (match(item) ? next : item)));
  }
}
