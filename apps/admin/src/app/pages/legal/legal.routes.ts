import type { Routes } from '@angular/router';

export const LEGAL_ROUTES: Routes = [
  {
    path: '',
    loadComponent: () => import('./legal').then((m) => m.Legal),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'audit-log' },
      { path: 'audit-log', title: 'Audit log · Leadforge', loadComponent: () => import('./audit-log').then((m) => m.AuditLog) },
      { path: 'retention', title: 'Retention · Leadforge', loadComponent: () => import('./retention').then((m) => m.Retention) },
      { path: 'dsar', title: 'Data requests · Leadforge', loadComponent: () => import('./dsar').then((m) => m.Dsar) },
      { path: 'suppressions', title: 'Opt-outs · Leadforge', loadComponent: () => import('./suppressions').then((m) => m.Suppressions) },
    ],
  },
];
