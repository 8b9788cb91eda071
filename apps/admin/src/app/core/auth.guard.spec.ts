import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { MeResponse } from '@leadforge/sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { orgManagerGuard, type OrgRole } from './auth.guard';
import { NotifyService } from './notify.service';
import { SessionService } from './session.service';

@Component({ template: '<h1>Dashboard</h1>' })
class DashboardStub {}
@Component({ template: '<h1>Legal</h1>' })
class LegalStub {}
@Component({ template: '<h1>Webhooks</h1>' })
class WebhooksStub {}

const me = (role: OrgRole): MeResponse => ({
  id: 'u1', email: 'a@example.com', name: 'Ada', emailVerified: true, isPlatformAdmin: false, createdAt: '2026-01-01T00:00:00Z', organization: { id: 'o1', name: 'Acme', role },
});

describe('orgManagerGuard', () => {
  let notices: string[];

  beforeEach(() => {
    notices = [];
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: '', component: DashboardStub },
          { path: 'legal/audit-log', canActivate: [orgManagerGuard], component: LegalStub },
          { path: 'settings/webhooks', canActivate: [orgManagerGuard], component: WebhooksStub },
        ]),
        { provide: NotifyService, useValue: { info: (message: string) => notices.push(message) } },
      ],
    });
  });

  afterEach(() => vi.restoreAllMocks());

  it.each(['owner', 'admin'] as const)('lets an %s open the legal and webhook pages', async (role) => {
    TestBed.inject(SessionService).setMe(me(role));
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/legal/audit-log');
    expect(TestBed.inject(Router).url).toBe('/legal/audit-log');
    expect(harness.routeNativeElement?.textContent).toContain('Legal');
    await harness.navigateByUrl('/settings/webhooks');
    expect(TestBed.inject(Router).url).toBe('/settings/webhooks');
    expect(notices).toEqual([]);
  });

  it('sends a member to the dashboard with a notice that says why', async () => {
    TestBed.inject(SessionService).setMe(me('member'));
    const harness = await RouterTestingHarness.create();
    for (const url of ['/legal/audit-log', '/settings/webhooks']) {
      await harness.navigateByUrl(url);
      expect(TestBed.inject(Router).url).toBe('/');
      expect(harness.routeNativeElement?.textContent).toContain('Dashboard');
    }
    await vi.waitFor(() => expect(notices).toHaveLength(2));
    expect(notices[0]).toBe('That page is for owners and admins of Acme; ask one of them for access.');
  });

  it('refuses when no session is loaded', async () => {
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/legal/audit-log');
    expect(TestBed.inject(Router).url).toBe('/');
  });
});
