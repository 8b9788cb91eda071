import { Injector, inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import type { MeResponse } from '@leadforge/sdk';
import { SessionService } from './session.service';

export type OrgRole = MeResponse['organization']['role'];

/** Pages behind sign-in: resumes the cookie's session first, else sends to /login?next=... */
export const authGuard: CanActivateFn = async (_route, state) => {
  const session = inject(SessionService);
  const router = inject(Router);
  if (session.signedIn() || (await session.restore())) return true;
  return router.createUrlTree(['/login'], { queryParams: state.url && state.url !== '/' ? { next: state.url } : {} });
};

/** Sign-in pages: a signed-in user goes straight to the dashboard. */
export const guestGuard: CanActivateFn = async () => {
  const session = inject(SessionService);
  const router = inject(Router);
  if (session.signedIn() || (await session.restore())) return router.createUrlTree(['/']);
  return true;
};

export const platformAdminGuard: CanActivateFn = () => {
  const session = inject(SessionService);
  return session.me()?.isPlatformAdmin === true || inject(Router).createUrlTree(['/']);
};

const ROLE_LABELS: Record<OrgRole, string> = { owner: 'owners', admin: 'admins', member: 'members' };

/**
 * Pages for some organization roles only (e.g. legal and webhooks: owners and admins). Anyone else
 * goes to the dashboard with a notice saying why, instead of a page whose every call answers 403.
 * Runs below authGuard, so the session is loaded.
 */
export const orgRoleGuard =
  (...roles: OrgRole[]): CanActivateFn =>
  () => {
    const me = inject(SessionService).me();
    if (me && roles.includes(me.organization.role)) return true;
    const notice = `That page is for ${roles.map((role) => ROLE_LABELS[role]).join(' and ')} of ${me?.organization.name ?? 'the organization'}; ask one of them for access.`;
    // Loaded on demand: the snack bar stays out of the initial bundle (the signed-in shell has it already).
    const injector = inject(Injector);
    void import('./notify.service').then(({ NotifyService }) => injector.get(NotifyService).info(notice));
    return inject(Router).createUrlTree(['/']);
  };

export const orgManagerGuard: CanActivateFn = orgRoleGuard('owner', 'admin');
