import type { Routes } from '@angular/router';
import { guestGuard } from '../../core/auth.guard';

export const AUTH_ROUTES: Routes = [
  { path: 'login', title: 'Sign in · Leadforge', canActivate: [guestGuard], loadComponent: () => import('./login').then((m) => m.Login) },
  { path: 'register', title: 'Create account · Leadforge', canActivate: [guestGuard], loadComponent: () => import('./register').then((m) => m.Register) },
  { path: 'forgot-password', title: 'Reset password · Leadforge', loadComponent: () => import('./forgot-password').then((m) => m.ForgotPassword) },
  { path: 'reset-password', title: 'New password · Leadforge', loadComponent: () => import('./reset-password').then((m) => m.ResetPassword) },
  { path: 'verify-email', title: 'Confirm email · Leadforge', loadComponent: () => import('./verify-email').then((m) => m.VerifyEmail) },
  { path: 'accept-invitation', title: 'Invitation · Leadforge', loadComponent: () => import('./accept-invitation').then((m) => m.AcceptInvitation) },
];
