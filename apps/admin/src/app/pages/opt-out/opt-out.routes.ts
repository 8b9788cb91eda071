import type { Routes } from '@angular/router';

/** Public pages: no sign-in. `opt-out/confirm` is the link of the confirmation email. */
export const OPT_OUT_ROUTES: Routes = [
  { path: '', pathMatch: 'full', title: 'Opt out · Leadforge', loadComponent: () => import('./opt-out').then((m) => m.OptOut) },
  { path: 'confirm', title: 'Confirm opt-out · Leadforge', loadComponent: () => import('./opt-out-confirm').then((m) => m.OptOutConfirm) },
];
