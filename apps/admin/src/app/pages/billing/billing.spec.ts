import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { LedgerEntryResponse, PlanResponse } from '@leadforge/sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Billing } from './billing';
import { json, loadMoreButton, removeOverlays, settle } from '../../testing/page-testing';

const free: PlanResponse = { id: 'free', name: 'Free', monthlyCredits: 500, concurrentTasks: 1, maxPagesPerSeed: 100, seats: 1, creditsRollOver: false, purchasable: false, stripePriceId: null };
const status = { billingConfigured: false, cancelAtPeriodEnd: false, canceledAt: null, currentPeriodEnd: null, paymentPastDue: false, plan: free, status: null };
const entry = (id: string, delta: number, balanceAfter: number): LedgerEntryResponse => ({ id, delta, balanceAfter, reason: 'task_settlement', createdAt: '2026-03-01T10:00:00Z' });

describe('Billing page', () => {
  const realFetch = globalThis.fetch;
  let cursors: Array<string | null>;
  let answerCredits: (cursor: string | null) => Response;
  let answerStatus: () => Response;

  beforeEach(() => {
    cursors = [];
    answerStatus = () => json(status);
    globalThis.fetch = vi.fn(async (input: RequestInfo | URL) => {
      const url = new URL((input as Request).url, 'http://localhost');
      if (url.pathname === '/api/v1/payments/credits') {
        cursors.push(url.searchParams.get('cursor'));
        return answerCredits(url.searchParams.get('cursor'));
      }
      if (url.pathname === '/api/v1/payments/subscription-status') return answerStatus();
      if (url.pathname === '/api/v1/payments/plans') return json({ items: [free] });
      return json({ status: 404, title: 'Not Found', code: 'not_found', detail: 'No route', requestId: 'req-1' }, 404);
    }) as typeof fetch;
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
  });

  afterEach(() => {
    globalThis.fetch = realFetch;
    removeOverlays();
  });


  const balances = (page: HTMLElement) => Array.from(page.querySelectorAll('table[aria-label="Credit ledger"] tr.mat-mdc-row td:last-child')).map((cell) => cell.textContent?.trim());
  const loadMore = loadMoreButton;

  it('appends the next ledger page with its balance, and reports a failed "Load more" without losing the rows', async () => {
    answerCredits = (cursor) => {
      if (cursor === null) return json({ balance: 480, items: [entry('l1', -20, 480)], nextCursor: 'c1' });
      if (cursor === 'c1') return json({ balance: 470, items: [entry('l2', 500, 500)], nextCursor: 'c2' });
      return json({ status: 400, title: 'Bad Request', code: 'invalid_cursor', detail: 'The cursor is no longer valid.', requestId: 'req-7' }, 400);
    };
    const fixture = TestBed.createComponent(Billing);
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    expect(page.querySelector('[data-testid="billing-balance"]')!.textContent?.trim()).toBe('480');
    expect(balances(page)).toEqual(['480']);

    loadMore(page)!.click();
    await settle(fixture);
    expect(cursors).toEqual([null, 'c1']);
    expect(balances(page)).toEqual(['480', '500']);
    expect(page.querySelector('[data-testid="billing-balance"]')!.textContent?.trim()).toBe('470');

    loadMore(page)!.click();
    await vi.waitFor(() => expect(document.querySelector('.cdk-overlay-container')?.textContent).toContain('The cursor is no longer valid.'));
    await settle(fixture);
    expect(cursors).toEqual([null, 'c1', 'c2']);
    expect(balances(page)).toEqual(['480', '500']);
    expect(page.querySelector('[role="alert"]')).toBeNull();
    expect(loadMore(page)!.disabled).toBe(false);
  });

  it('shows no ledger rows when the rest of the page failed to load', async () => {
    answerCredits = () => json({ balance: 480, items: [entry('l1', -20, 480)], nextCursor: 'c1' });
    answerStatus = () => json({ status: 403, title: 'Forbidden', code: 'forbidden', detail: 'Only owners see billing.', requestId: 'req-8' }, 403);
    const fixture = TestBed.createComponent(Billing);
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    expect(page.querySelector('[role="alert"]')!.textContent).toContain('Only owners see billing. — request req-8');
    expect(balances(page)).toEqual([]);
    expect(loadMore(page)).toBeUndefined();
  });

  it('offers "Try again" after a failed first load, and shows the page once a retry works', async () => {
    let fail = true;
    answerCredits = () => json({ balance: 480, items: [entry('l1', -20, 480)], nextCursor: null });
    answerStatus = () => (fail ? json({ status: 403, title: 'Forbidden', code: 'forbidden', detail: 'Only owners see billing.', requestId: 'req-9' }, 403) : json(status));
    const fixture = TestBed.createComponent(Billing);
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    const tryAgain = () => Array.from(page.querySelectorAll('button')).find((button) => button.textContent?.includes('Try again'));
    expect(page.querySelector('[role="alert"]')!.textContent).toContain('Only owners see billing. — request req-9');
    expect(page.querySelector('[data-testid="billing-balance"]')).toBeNull();

    fail = false;
    tryAgain()!.click();
    await settle(fixture);
    expect(page.querySelector('[role="alert"]')).toBeNull();
    expect(tryAgain()).toBeUndefined();
    expect(page.querySelector('[data-testid="billing-balance"]')!.textContent?.trim()).toBe('480');
    expect(page.textContent).toContain('Free');
    expect(balances(page)).toEqual(['480']);
  });
});
