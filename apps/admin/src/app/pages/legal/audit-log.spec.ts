import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditLog } from './audit-log';
import { json, loadMoreButton, removeOverlays } from '../../testing/page-testing';

const ACTOR = '0192f0a0-0000-7000-8000-0000000000aa';
const row = { id: '0192f0a0-0000-7000-8000-000000000001', action: 'auth.login.succeeded', actorUserId: ACTOR, actorApiKeyId: null, targetType: 'session', targetId: null, ip: '127.0.0.1', userAgent: null, metadata: {}, createdAt: '2026-03-02T08:00:00Z' };

describe('Audit log page', () => {
  const realFetch = globalThis.fetch;
  let queries: URLSearchParams[];
  let answer: (query: URLSearchParams) => Response;

  beforeEach(() => {
    queries = [];
    answer = () => json({ items: [row], nextCursor: null });
    globalThis.fetch = vi.fn(async (input: RequestInfo | URL) => {
      const query = new URL((input as Request).url, 'http://localhost').searchParams;
      queries.push(query);
      return answer(query);
    }) as typeof fetch;
    TestBed.configureTestingModule({ providers: [provideRouter([{ path: 'legal/audit-log', component: AuditLog }])] });
  });

  afterEach(() => {
    globalThis.fetch = realFetch;
    removeOverlays();
  });

  async function settle(harness: RouterTestingHarness): Promise<void> {
    for (let round = 0; round < 4; round++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      await harness.fixture.whenStable();
      harness.detectChanges();
    }
  }

  it('loads with the filters of a shared URL and puts applied filters back in the URL', async () => {
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/legal/audit-log?action=auth.login.&from=2026-03-01');
    await settle(harness);
    expect(queries).toHaveLength(1);
    expect(queries[0]!.get('action')).toBe('auth.login.');
    expect(queries[0]!.get('from')).toBe(new Date(2026, 2, 1).toISOString());
    const page = harness.routeNativeElement!;
    expect(page.querySelector<HTMLInputElement>('[data-testid="audit-action"]')!.value).toBe('auth.login.');
    expect(page.querySelector('[data-testid="audit-table"]')!.textContent).toContain('auth.login.succeeded');

    // Clicking the actor filters by that user: the URL carries it and the log reloads with it.
    page.querySelector<HTMLButtonElement>(`[aria-label="Only events by user ${ACTOR}"]`)!.click();
    await settle(harness);
    const url = TestBed.inject(Router).parseUrl(TestBed.inject(Router).url);
    expect(url.queryParams).toEqual({ action: 'auth.login.', actor: ACTOR, from: '2026-03-01' });
    expect(queries.at(-1)!.get('actorUserId')).toBe(ACTOR);
  });

  it('does not send filters the API would refuse', async () => {
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/legal/audit-log');
    await settle(harness);
    const page = harness.routeNativeElement!;
    const action = page.querySelector<HTMLInputElement>('[data-testid="audit-action"]')!;
    action.value = 'Logins please';
    action.dispatchEvent(new Event('input'));
    page.querySelector<HTMLButtonElement>('[data-testid="audit-apply"]')!.click();
    await settle(harness);
    expect(queries).toHaveLength(1);
    expect(page.querySelector('[role="alert"]')!.textContent).toMatch(/^Action/);
    expect(TestBed.inject(Router).url).toBe('/legal/audit-log');
  });

  it('appends the next page with the same filters, and reports a failed "Load more" without losing the events', async () => {
    const event = (id: string, action: string) => ({ ...row, id, action });
    answer = (query) => {
      const cursor = query.get('cursor');
      if (cursor === null) return json({ items: [event('0192f0a0-0000-7000-8000-000000000001', 'legal.dsar_exported')], nextCursor: 'c1' });
      if (cursor === 'c1') return json({ items: [event('0192f0a0-0000-7000-8000-000000000002', 'legal.opt_out_confirmed')], nextCursor: 'c2' });
      return json({ status: 400, title: 'Bad Request', code: 'invalid_cursor', detail: 'The cursor is no longer valid.', requestId: 'req-7' }, 400);
    };
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/legal/audit-log?action=legal.');
    await settle(harness);
    const page = harness.routeNativeElement!;
    const actions = () => Array.from(page.querySelectorAll('[data-testid="audit-table"] td code')).map((code) => code.textContent?.trim());
    const loadMore = () => loadMoreButton(page);
    expect(actions()).toEqual(['legal.dsar_exported']);

    loadMore()!.click();
    await settle(harness);
    expect(queries.map((query) => [query.get('cursor'), query.get('action')])).toEqual([[null, 'legal.'], ['c1', 'legal.']]);
    expect(actions()).toEqual(['legal.dsar_exported', 'legal.opt_out_confirmed']);

    loadMore()!.click();
    await vi.waitFor(() => expect(document.querySelector('.cdk-overlay-container')?.textContent).toContain('The cursor is no longer valid.'));
    await settle(harness);
    expect(queries.at(-1)!.get('cursor')).toBe('c2');
    expect(actions()).toEqual(['legal.dsar_exported', 'legal.opt_out_confirmed']);
    expect(page.querySelector('[role="alert"]')).toBeNull();
    expect(loadMore()!.disabled).toBe(false);
  });
});
