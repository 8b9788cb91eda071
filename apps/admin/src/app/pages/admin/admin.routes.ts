import type { Routes } from '@angular/router';
import { platformAdminGuard } from '../../core/auth.guard';

export const ADMIN_ROUTES: Routes = [
  {
    path: '',
    canActivate: [platformAdminGuard],
    loadComponent: () => import('./admin').then((m) => m.Admin),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'orgs' },
      { path: 'orgs', title: 'Organizations · Admin · Leadforge', loadComponent: () => import('./admin-orgs').then((m) => m.AdminOrgs) },
      { path: 'users', title: 'Users · Admin · Leadforge', loadComponent: () => import('./admin-users').then((m) => m.AdminUsers) },
      { path: 'health', title: 'System health · Admin · Leadforge', loadComponent: () => import('./system-health').then((m) => m.SystemHealth) },
    ],
  },
];
