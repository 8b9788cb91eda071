import type { Routes } from '@angular/router';

export const SETTINGS_ROUTES: Routes = [{ path: '', title: 'Settings · Leadforge', loadComponent: () => import('./settings').then((m) => m.Settings) }];
