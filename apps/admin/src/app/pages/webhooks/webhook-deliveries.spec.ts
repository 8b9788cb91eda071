import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { WebhookDeliveryResponse } from '@leadforge/sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebhookDeliveries } from './webhook-deliveries';
import { json, loadMoreButton, removeOverlays, settle } from '../../testing/page-testing';

const ENDPOINT = '0192f0a0-0000-7000-8000-000000000001';
const delivery = (id: string, status: WebhookDeliveryResponse['status']): WebhookDeliveryResponse => ({
  id, endpointId: ENDPOINT, eventType: 'webhook.ping', status, attempts: status === 'pending' ? 0 : 1, attemptLog: [], payload: {},
  responseStatus: status === 'pending' ? null : 200, durationMs: null, lastError: null, nextAttemptAt: null,
  deliveredAt: status === 'succeeded' ? '2026-03-01T10:00:01Z' : null, createdAt: '2026-03-01T10:00:00Z',
});

describe('Webhook deliveries page', () => {
  const realFetch = globalThis.fetch;
  let cursors: Array<string | null>;
  let answer: (cursor: string | null) => Response | Promise<Response>;

  beforeEach(() => {
    cursors = [];
    globalThis.fetch = vi.fn(async (input: RequestInfo | URL) => {
      const url = new URL((input as Request).url, 'http://localhost');
      if (url.pathname === `/api/v1/webhooks/${ENDPOINT}/deliveries`) {
        cursors.push(url.searchParams.get('cursor'));
        return answer(url.searchParams.get('cursor'));
      }
      if (url.pathname === `/api/v1/webhooks/${ENDPOINT}`) {
        return json({ id: ENDPOINT, url: 'https://hooks.example.com/in', description: null, events: ['task.completed'], enabled: true, disabledAt: null, disabledReason: null, previousSecretExpiresAt: null, failingSince: null, createdAt: '2026-03-01T10:00:00Z', updatedAt: '2026-03-01T10:00:00Z' });
      }
      return json({ status: 404, title: 'Not Found', code: 'not_found', detail: 'No route', requestId: 'req-1' }, 404);
    }) as typeof fetch;
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
  });

  afterEach(() => {
    vi.useRealTimers();
    globalThis.fetch = realFetch;
    removeOverlays();
  });


  function open(): ComponentFixture<WebhookDeliveries> {
    const fixture = TestBed.createComponent(WebhookDeliveries);
    fixture.componentRef.setInput('id', ENDPOINT);
    return fixture;
  }

  const statuses = (page: HTMLElement) => Array.from(page.querySelectorAll('[data-testid="delivery-status"]')).map((chip) => chip.textContent?.trim());

  /** Two pages on screen with a pending delivery: one poll refreshes both (then shows `after`), and none follows once nothing is pending. */
  async function expectOneRefreshOfBothPages(fixture: ComponentFixture<WebhookDeliveries>, after: string[]): Promise<void> {
    await settle(fixture, 1_500);
    expect(cursors).toEqual([null, 'c1', null, 'c1']);
    expect(statuses(fixture.nativeElement as HTMLElement)).toEqual(after);
    await settle(fixture, 5_000);
    expect(cursors).toHaveLength(4);
  }

  it('refreshes while a delivery is pending, keeping the table on screen, and stops once none is', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let release!: () => void;
    answer = () => {
      if (cursors.length === 1) return json({ items: [delivery('d1', 'pending')], nextCursor: null });
      if (cursors.length === 2) return new Promise((resolve) => (release = () => resolve(json({ items: [delivery('d1', 'succeeded')], nextCursor: null }))));
      return json({ items: [delivery('d1', 'succeeded')], nextCursor: null });
    };
    const fixture = open();
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    expect(statuses(page)).toEqual(['Pending']);

    await settle(fixture, 1_500);
    expect(cursors).toEqual([null, null]);
    expect(statuses(page)).toEqual(['Pending']);
    expect(page.querySelector('mat-progress-bar')).toBeNull();

    release();
    await settle(fixture);
    expect(statuses(page)).toEqual(['Succeeded']);
    await settle(fixture, 5_000);
    expect(cursors).toHaveLength(2);
  });

  it('keeps the pages "Load more" brought while it polls', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let polls = 0;
    answer = (cursor) => {
      if (cursor === null) return json({ items: [delivery('d1', polls === 0 ? 'pending' : 'succeeded')], nextCursor: 'c1' });
      return json({ items: [delivery('d2', 'failed')], nextCursor: null });
    };
    const fixture = open();
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    loadMoreButton(page)!.click();
    await settle(fixture);
    expect(statuses(page)).toEqual(['Pending', 'Failed']);

    polls = 1;
    await expectOneRefreshOfBothPages(fixture, ['Succeeded', 'Failed']);
  });

  it('starts polling when "Load more" brings in a pending delivery, and stops once it is settled', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let settled = false;
    answer = (cursor) => {
      if (cursor === null) return json({ items: [delivery('d1', 'succeeded')], nextCursor: 'c1' });
      return json({ items: [delivery('d2', settled ? 'failed' : 'pending')], nextCursor: null });
    };
    const fixture = open();
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    await settle(fixture, 5_000);
    expect(cursors).toEqual([null]);

    loadMoreButton(page)!.click();
    await settle(fixture);
    expect(statuses(page)).toEqual(['Succeeded', 'Pending']);

    settled = true;
    await expectOneRefreshOfBothPages(fixture, ['Succeeded', 'Failed']);
  });

  it('appends the next page, and reports a failed "Load more" without losing the list', async () => {
    answer = (cursor) => {
      if (cursor === null) return json({ items: [delivery('d1', 'succeeded')], nextCursor: 'c1' });
      if (cursor === 'c1') return json({ items: [delivery('d2', 'failed')], nextCursor: 'c2' });
      return json({ status: 400, title: 'Bad Request', code: 'invalid_cursor', detail: 'The cursor is no longer valid.', requestId: 'req-7' }, 400);
    };
    const fixture = open();
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    const loadMore = () => loadMoreButton(page)!;

    loadMore().click();
    await settle(fixture);
    expect(cursors).toEqual([null, 'c1']);
    expect(statuses(page)).toEqual(['Succeeded', 'Failed']);

    loadMore().click();
    await vi.waitFor(() => expect(document.querySelector('.cdk-overlay-container')?.textContent).toContain('The cursor is no longer valid.'));
    await settle(fixture);
    expect(cursors).toEqual([null, 'c1', 'c2']);
    expect(statuses(page)).toEqual(['Succeeded', 'Failed']);
    expect(page.querySelector('[role="alert"]')).toBeNull();
    expect(loadMore()).toBeTruthy();
  });
});
