import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Webhooks } from './webhooks';
import { settle } from '../../testing/page-testing';

const SECRET = 'whsec_c2VjcmV0LXNob3duLW9uY2UtMDEyMzQ1Njc4OQ==';
const endpoint = (id: string, url: string) => ({
  id, url, description: null, events: ['task.completed'], enabled: true, disabledAt: null, disabledReason: null,
  previousSecretExpiresAt: null, failingSince: null, createdAt: '2026-03-01T10:00:00Z', updatedAt: '2026-03-01T10:00:00Z',
});
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('Webhooks page', () => {
  const realFetch = globalThis.fetch;
  let stored: ReturnType<typeof endpoint>[];
  let created: unknown[];

  beforeEach(() => {
    stored = [];
    created = [];
    globalThis.fetch = vi.fn(async (input: RequestInfo | URL) => {
      const request = input as Request;
      const path = new URL(request.url, 'http://localhost').pathname;
      if (path === '/api/v1/webhooks' && request.method === 'POST') {
        const body = await request.json();
        created.push(body);
        const row = endpoint('0192f0a0-0000-7000-8000-000000000001', body.url);
        stored.unshift(row);
        return json({ ...row, secret: SECRET }, 201);
      }
      if (path === '/api/v1/webhooks') return json({ items: stored, nextCursor: null });
      return json({ status: 404, title: 'Not Found', code: 'not_found', detail: 'No route', requestId: 'req-1' }, 404);
    }) as typeof fetch;
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
  });

  afterEach(() => {
    globalThis.fetch = realFetch;
  });


  it('shows the signing secret once after creating an endpoint, never in the list', async () => {
    const fixture = TestBed.createComponent(Webhooks);
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    expect(page.textContent).toContain('No endpoints yet');

    const url = page.querySelector<HTMLInputElement>('[data-testid="webhook-url"]')!;
    url.value = 'https://hooks.example.com/in';
    url.dispatchEvent(new Event('input'));
    page.querySelector<HTMLButtonElement>('[data-testid="webhook-create"]')!.click();
    await settle(fixture);

    expect(created).toEqual([{ url: 'https://hooks.example.com/in', events: ['task.completed', 'task.failed', 'leads.created'] }]);
    expect(page.querySelector('[data-testid="secret-value"]')?.textContent).toBe(SECRET);
    expect(page.querySelectorAll('[data-testid="webhook-row"]')).toHaveLength(1);
    expect(page.querySelector('[data-testid="webhook-row"]')!.textContent).not.toContain(SECRET);
    expect(page.querySelector<HTMLInputElement>('[data-testid="webhook-url"]')!.value).toBe('');
    expect(page.textContent).not.toContain('Enter the URL that receives the POSTs');

    page.querySelector<HTMLButtonElement>('[data-testid="secret-dismiss"]')!.click();
    await settle(fixture);
    expect(page.querySelector('[data-testid="secret-value"]')).toBeNull();
    expect(page.textContent).not.toContain(SECRET);
  });

  it('refuses a URL that is not http(s) and an empty event list without calling the API', async () => {
    const fixture = TestBed.createComponent(Webhooks);
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    const url = page.querySelector<HTMLInputElement>('[data-testid="webhook-url"]')!;
    url.value = 'ftp://files.example.com';
    url.dispatchEvent(new Event('input'));
    for (const box of Array.from(page.querySelectorAll<HTMLInputElement>('fieldset input[type="checkbox"]'))) box.click();
    page.querySelector<HTMLButtonElement>('[data-testid="webhook-create"]')!.click();
    await settle(fixture);
    expect(created).toEqual([]);
    expect(page.textContent).toContain('Enter a full http(s) URL');
    expect(page.textContent).toContain('Choose at least one event');
  });
});
