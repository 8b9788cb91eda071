import type { Routes } from '@angular/router';

export const SCRAPE_ROUTES: Routes = [{ path: '', title: 'New scrape · Leadforge', loadComponent: () => import('./new-scrape').then((m) => m.NewScrape) }];
