import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { Router, RouterLink } from '@angular/router';
import { authResendVerification } from '@leadforge/sdk';
import { describeError, problemCode } from '../../core/problem';
import { SessionService } from '../../core/session.service';
import { AuthCard } from './auth-card';
import { FormError } from './form-error';

@Component({
  selector: 'lf-login',
  imports: [ReactiveFormsModule, RouterLink, MatFormFieldModule, MatInputModule, MatButtonModule, MatProgressSpinnerModule, AuthCard, FormError],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <lf-auth-card title="Sign in" subtitle="Welcome back. Sign in to your workspace.">
      <lf-form-error [message]="error()" />
      @if (unverified()) {
        <p class="note">Your address is not confirmed yet. <button type="button" class="linkish" (click)="resend()">Send the link again</button></p>
      }
      <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
        <mat-form-field appearance="outline" class="lf-full">
          <mat-label>Email</mat-label>
          <input matInput type="email" formControlName="email" autocomplete="email" name="email" />
          @if (form.controls.email.hasError('email')) { <mat-error>Enter a valid email address</mat-error> }
        </mat-form-field>
        <mat-form-field appearance="outline" class="lf-full">
          <mat-label>Password</mat-label>
          <input matInput type="password" formControlName="password" autocomplete="current-password" name="password" />
        </mat-form-field>
        <div class="row"><a routerLink="/forgot-password">Forgot password?</a></div>
        <button mat-flat-button class="lf-full submit" type="submit" [disabled]="busy()">
          @if (busy()) { <mat-spinner diameter="18" /> } @else { Sign in }
        </button>
      </form>
      <span footer>New to Leadforge? <a routerLink="/register">Create an account</a> · <a routerLink="/opt-out">Opt out of data collection</a></span>
    </lf-auth-card>
  `,
  styles: `
    .row { display: flex; justify-content: flex-end; margin: -4px 0 16px; }
    .submit { height: 44px; }
    .note { background: #fffbeb; border: 1px solid #fde68a; padding: 10px 12px; border-radius: 8px; }
    .linkish { background: none; border: 0; padding: 0; color: var(--lf-accent); text-decoration: underline; cursor: pointer; font: inherit; }
  `,
})
export class Login {
  private readonly session = inject(SessionService);
  private readonly router = inject(Router);
  readonly next = input<string>();
  protected readonly form = inject(FormBuilder).nonNullable.group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly unverified = signal(false);

  async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      const { email, password } = this.form.getRawValue();
      await this.session.login(email, password);
      const next = this.next();
      await this.router.navigateByUrl(next && next.startsWith('/') && !next.startsWith('//') ? next : '/');
    } catch (error) {
      this.unverified.set(problemCode(error) === 'email_not_verified');
      this.error.set(describeError(error));
    } finally {
      this.busy.set(false);
    }
  }

  async resend(): Promise<void> {
    await authResendVerification({ body: { email: this.form.controls.email.value } });
    this.unverified.set(false);
    this.error.set('If the address has an account, a new confirmation link is on its way.');
  }
}
