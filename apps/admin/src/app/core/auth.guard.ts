import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import { SessionService } from './session.service';

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
