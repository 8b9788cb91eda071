import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { SuppressionItem } from '@leadforge/sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionService } from '../../core/session.service';
import { Suppressions } from './suppressions';
import { json, loadMoreButton, removeOverlays, settle } from '../../testing/page-testing';

const entry = (id: string, kind: SuppressionItem['kind']): SuppressionItem => ({ id, kind, hash: `hash-${id}`, createdAt: '2026-03-01T10:00:00Z' });
const counts = (total: number) => ({ email: total, profileUrl: 0, domain: 0, total });

describe('Opt-outs page', () => {
  const realFetch = globalThis.fetch;
  let queries: Array<{ cursor: string | null; kind: string | null }>;
  let answer: (cursor: string | null, kind: string | null) => Response;

  beforeEach(() => {
    queries = [];
    globalThis.fetch = vi.fn(async (input: RequestInfo | URL) => {
      const url = new URL((input as Request).url, 'http://localhost');
      if (url.pathname === '/api/v1/legal/suppressions') {
        const query = { cursor: url.searchParams.get('cursor'), kind: url.searchParams.get('kind') };
        queries.push(query);
        return answer(query.cursor, query.kind);
      }
      return json({ status: 404, title: 'Not Found', code: 'not_found', detail: 'No route', requestId: 'req-1' }, 404);
    }) as typeof fetch;
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    TestBed.inject(SessionService).setMe({
      id: '0192f0a0-0000-7000-8000-0000000000aa', email: 'root@platform.test', name: 'Root', emailVerified: true, isPlatformAdmin: true, createdAt: '2026-01-01T00:00:00Z', organization: { id: 'o1', name: 'HQ', role: 'owner' },
    });
  });

  afterEach(() => {
    globalThis.fetch = realFetch;
    removeOverlays();
  });


  const hashes = (page: HTMLElement) => Array.from(page.querySelectorAll('table[aria-label="Opt-out entries"] code')).map((code) => code.textContent?.trim());
  const total = (page: HTMLElement) => page.querySelector('[data-testid="suppression-counts"] .lf-card:last-child strong')!.textContent?.trim();
  const loadMore = loadMoreButton;

  it('appends the next page of the chosen kind with its counts, and reports a failed "Load more" without losing the entries', async () => {
    answer = (cursor, kind) => {
      if (kind === null) return json({ counts: counts(9), items: [entry('a1', 'email')], nextCursor: 'a1' });
      if (cursor === null) return json({ counts: counts(3), items: [entry('e1', 'email')], nextCursor: 'e1' });
      if (cursor === 'e1') return json({ counts: counts(4), items: [entry('e2', 'email')], nextCursor: 'e2' });
      return json({ status: 400, title: 'Bad Request', code: 'invalid_cursor', detail: 'The cursor is no longer valid.', requestId: 'req-7' }, 400);
    };
    const fixture = TestBed.createComponent(Suppressions);
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    expect(hashes(page)).toEqual(['hash-a1']);
    expect(total(page)).toBe('9');

    page.querySelector<HTMLElement>('mat-select')!.click();
    await settle(fixture);
    Array.from(document.querySelectorAll<HTMLElement>('mat-option')).find((option) => option.textContent?.trim() === 'Email')!.click();
    await settle(fixture);
    expect(queries).toEqual([{ cursor: null, kind: null }, { cursor: null, kind: 'email' }]);
    expect(hashes(page)).toEqual(['hash-e1']);
    expect(total(page)).toBe('3');

    loadMore(page)!.click();
    await settle(fixture);
    expect(queries.at(-1)).toEqual({ cursor: 'e1', kind: 'email' });
    expect(hashes(page)).toEqual(['hash-e1', 'hash-e2']);
    expect(total(page)).toBe('4');

    loadMore(page)!.click();
    await vi.waitFor(() => expect(document.querySelector('.cdk-overlay-container')?.textContent).toContain('The cursor is no longer valid.'));
    await settle(fixture);
    expect(queries.at(-1)).toEqual({ cursor: 'e2', kind: 'email' });
    expect(hashes(page)).toEqual(['hash-e1', 'hash-e2']);
    expect(total(page)).toBe('4');
    expect(page.querySelector('[role="alert"]')).toBeNull();
    expect(loadMore(page)!.disabled).toBe(false);
  });
});
