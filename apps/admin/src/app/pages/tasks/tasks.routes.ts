import type { Routes } from '@angular/router';

export const TASKS_ROUTES: Routes = [
  { path: '', title: 'Tasks · Leadforge', loadComponent: () => import('./task-list').then((m) => m.TaskList) },
  { path: ':id', title: 'Task · Leadforge', loadComponent: () => import('./task-view').then((m) => m.TaskView) },
];
