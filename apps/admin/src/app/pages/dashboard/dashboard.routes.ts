import type { Routes } from '@angular/router';
import { provideEchartsCore } from 'ngx-echarts';
import { echarts } from './echarts-setup';

export const DASHBOARD_ROUTES: Routes = [
  { path: '', title: 'Dashboard · Leadforge', providers: [provideEchartsCore({ echarts })], loadComponent: () => import('./dashboard').then((m) => m.Dashboard) },
];
