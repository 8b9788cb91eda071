import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { AdminUserResponse } from '@leadforge/sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionService } from '../../core/session.service';
import { AdminUsers } from './admin-users';
import { json, removeOverlays, settle } from '../../testing/page-testing';

const user = (id: string, email: string, changes: Partial<AdminUserResponse> = {}): AdminUserResponse => ({
  id, email, name: email.split('@')[0]!, emailVerified: true, isPlatformAdmin: false, suspended: false, suspendedAt: null,
  memberships: [], createdAt: '2026-03-01T10:00:00Z', ...changes,
});

const ME = '0192f0a0-0000-7000-8000-0000000000aa';
const OTHER = '0192f0a0-0000-7000-8000-0000000000bb';

describe('Admin users page', () => {
  const realFetch = globalThis.fetch;
  let patches: Array<{ id: string; body: unknown }>;
  let stored: AdminUserResponse[];
  let failNext: boolean;

  beforeEach(() => {
    patches = [];
    failNext = false;
    stored = [user(OTHER, 'olga@owner.test'), user(ME, 'root@platform.test', { isPlatformAdmin: true })];
    globalThis.fetch = vi.fn(async (input: RequestInfo | URL) => {
      const request = input as Request;
      const path = new URL(request.url, 'http://localhost').pathname;
      if (path === '/api/v1/admin/users' && request.method === 'GET') return json({ items: stored, nextCursor: null });
      const match = /^\/api\/v1\/admin\/users\/([\w-]+)$/.exec(path);
      if (match && request.method === 'PATCH') {
        const body = (await request.json()) as { isPlatformAdmin?: boolean; suspended?: boolean };
        patches.push({ id: match[1]!, body });
        if (failNext) return json({ status: 409, title: 'Conflict', code: 'last_platform_admin', detail: 'This is the last active platform administrator.', requestId: 'req-9' }, 409);
        const index = stored.findIndex((row) => row.id === match[1]);
        const next = { ...stored[index]!, ...body, ...(body.suspended === undefined ? {} : { suspendedAt: body.suspended ? '2026-03-02T10:00:00Z' : null }) };
        stored[index] = next;
        return json(next);
      }
      return json({ status: 404, title: 'Not Found', code: 'not_found', detail: 'No route', requestId: 'req-1' }, 404);
    }) as typeof fetch;
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    TestBed.inject(SessionService).setMe({
      id: ME, email: 'root@platform.test', name: 'Root', emailVerified: true, isPlatformAdmin: true, createdAt: '2026-01-01T00:00:00Z', organization: { id: 'o1', name: 'HQ', role: 'owner' },
    });
  });

  afterEach(() => {
    globalThis.fetch = realFetch;
    removeOverlays();
  });


  const row = (page: HTMLElement, email: string) => page.querySelector<HTMLTableRowElement>(`tr[data-user="${email}"]`)!;
  const button = (page: HTMLElement, email: string, testId: string) => row(page, email).querySelector<HTMLButtonElement>(`[data-testid="${testId}"]`)!;
  const dialogButton = (testId: string) => document.querySelector<HTMLButtonElement>(`.cdk-overlay-container [data-testid="${testId}"]`);

  it('disables both actions on your own row', async () => {
    const fixture = TestBed.createComponent(AdminUsers);
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    expect(button(page, 'root@platform.test', 'toggle-admin').disabled).toBe(true);
    expect(button(page, 'root@platform.test', 'toggle-suspend').disabled).toBe(true);
    expect(button(page, 'root@platform.test', 'toggle-admin').textContent).toContain('Remove platform admin');
    expect(button(page, 'olga@owner.test', 'toggle-admin').disabled).toBe(false);
    expect(button(page, 'olga@owner.test', 'toggle-admin').textContent).toContain('Make platform admin');
  });

  it('suspends after confirmation, shows the chip, and reactivates', async () => {
    const fixture = TestBed.createComponent(AdminUsers);
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    expect(row(page, 'olga@owner.test').querySelector('[data-testid="suspended-chip"]')).toBeNull();

    button(page, 'olga@owner.test', 'toggle-suspend').click();
    await settle(fixture);
    expect(document.querySelector('.cdk-overlay-container [data-testid="confirm-message"]')?.textContent).toContain('olga@owner.test');
    dialogButton('confirm-ok')!.click();
    await vi.waitFor(() => expect(patches).toEqual([{ id: OTHER, body: { suspended: true } }]));
    await settle(fixture);
    expect(row(page, 'olga@owner.test').querySelector('[data-testid="suspended-chip"]')?.textContent).toContain('Suspended');
    expect(button(page, 'olga@owner.test', 'toggle-suspend').textContent).toContain('Reactivate');

    button(page, 'olga@owner.test', 'toggle-suspend').click();
    await settle(fixture);
    dialogButton('confirm-ok')!.click();
    await vi.waitFor(() => expect(patches[1]).toEqual({ id: OTHER, body: { suspended: false } }));
    await settle(fixture);
    expect(row(page, 'olga@owner.test').querySelector('[data-testid="suspended-chip"]')).toBeNull();
  });

  it('changes nothing when the dialog is cancelled, and keeps the row as it was when the API refuses', async () => {
    const fixture = TestBed.createComponent(AdminUsers);
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    button(page, 'olga@owner.test', 'toggle-admin').click();
    await settle(fixture);
    dialogButton('confirm-cancel')!.click();
    await vi.waitFor(() => expect(document.querySelector('.cdk-overlay-container [data-testid="confirm-cancel"]')).toBeNull());
    await settle(fixture);
    expect(patches).toEqual([]);

    failNext = true;
    button(page, 'olga@owner.test', 'toggle-admin').click();
    await settle(fixture);
    dialogButton('confirm-ok')!.click();
    await vi.waitFor(() => expect(patches).toEqual([{ id: OTHER, body: { isPlatformAdmin: true } }]));
    await vi.waitFor(() => expect(document.querySelector('.cdk-overlay-container')?.textContent).toContain('last active platform administrator'));
    await settle(fixture);
    expect(button(page, 'olga@owner.test', 'toggle-admin').textContent).toContain('Make platform admin');
    expect(button(page, 'olga@owner.test', 'toggle-admin').disabled).toBe(false);
  });
});
