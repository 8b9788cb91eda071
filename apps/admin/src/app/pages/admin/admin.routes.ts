import type { Routes } from '@angular/router';
import { provideEchartsCore } from 'ngx-echarts';
import { platformAdminGuard } from '../../core/auth.guard';
import { echarts } from '../dashboard/echarts-setup';

export const ADMIN_ROUTES: Routes = [
  {
    path: '',
    canActivate: [platformAdminGuard],
    providers: [provideEchartsCore({ echarts })],
    loadComponent: () => import('./admin').then((m) => m.Admin),
    children: [
      { path: '', pathMatch: 'full', title: 'Overview · Admin · Leadforge', loadComponent: () => import('./admin-overview').then((m) => m.AdminOverview) },
      { path: 'orgs', title: 'Organizations · Admin · Leadforge', loadComponent: () => import('./admin-orgs').then((m) => m.AdminOrgs) },
      { path: 'users', title: 'Users · Admin · Leadforge', loadComponent: () => import('./admin-users').then((m) => m.AdminUsers) },
      { path: 'health', title: 'System health · Admin · Leadforge', loadComponent: () => import('./system-health').then((m) => m.SystemHealth) },
    ],
  },
];
