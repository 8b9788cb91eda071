import type { Routes } from '@angular/router';

export const WEBHOOKS_ROUTES: Routes = [
  { path: '', pathMatch: 'full', title: 'Webhooks · Leadforge', loadComponent: () => import('./webhooks').then((m) => m.Webhooks) },
  { path: ':id', title: 'Webhook deliveries · Leadforge', loadComponent: () => import('./webhook-deliveries').then((m) => m.WebhookDeliveries) },
];
