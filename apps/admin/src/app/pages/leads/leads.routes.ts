import type { Routes } from '@angular/router';

export const LEADS_ROUTES: Routes = [{ path: '', title: 'Leads · Leadforge', loadComponent: () => import('./leads-page').then((m) => m.LeadsPage) }];
