import type { Routes } from '@angular/router';
import { authGuard, orgManagerGuard } from './core/auth.guard';
import { AUTH_ROUTES } from './pages/auth/auth.routes';

export const routes: Routes = [
  ...AUTH_ROUTES,
  { path: 'opt-out', loadChildren: () => import('./pages/opt-out/opt-out.routes').then((m) => m.OPT_OUT_ROUTES) },
  {
    path: '',
    loadComponent: () => import('./layout/shell').then((m) => m.Shell),
    canActivate: [authGuard],
    children: [
      { path: '', pathMatch: 'full', loadChildren: () => import('./pages/dashboard/dashboard.routes').then((m) => m.DASHBOARD_ROUTES) },
      { path: 'scrape', loadChildren: () => import('./pages/scrape/scrape.routes').then((m) => m.SCRAPE_ROUTES) },
      { path: 'tasks', loadChildren: () => import('./pages/tasks/tasks.routes').then((m) => m.TASKS_ROUTES) },
      { path: 'leads', loadChildren: () => import('./pages/leads/leads.routes').then((m) => m.LEADS_ROUTES) },
      { path: 'billing', loadChildren: () => import('./pages/billing/billing.routes').then((m) => m.BILLING_ROUTES) },
      { path: 'legal', canActivate: [orgManagerGuard], loadChildren: () => import('./pages/legal/legal.routes').then((m) => m.LEGAL_ROUTES) },
      { path: 'settings/webhooks', canActivate: [orgManagerGuard], loadChildren: () => import('./pages/webhooks/webhooks.routes').then((m) => m.WEBHOOKS_ROUTES) },
      { path: 'settings', loadChildren: () => import('./pages/settings/settings.routes').then((m) => m.SETTINGS_ROUTES) },
      { path: 'admin', loadChildren: () => import('./pages/admin/admin.routes').then((m) => m.ADMIN_ROUTES) },
    ],
  },
  { path: '**', redirectTo: '' },
];
