import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { authForgotPassword } from '@leadforge/sdk';
import { describeError } from '../../core/problem';
import { AuthCard } from './auth-card';
import { FormError } from './form-error';

@Component({
  selector: 'lf-forgot-password',
  imports: [ReactiveFormsModule, RouterLink, MatFormFieldModule, MatInputModule, MatButtonModule, AuthCard, FormError],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <lf-auth-card title="Reset your password" subtitle="We will email you a link to choose a new one.">
      @if (sent()) {
        <p role="status">If an account exists for that address, a reset link is on its way. It works once, for one hour.</p>
      } @else {
        <lf-form-error [message]="error()" />
        <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
          <mat-form-field appearance="outline" class="lf-full">
            <mat-label>Email</mat-label>
            <input matInput type="email" formControlName="email" autocomplete="email" />
          </mat-form-field>
          <button mat-flat-button class="lf-full" type="submit" [disabled]="busy()">Send reset link</button>
        </form>
      }
      <span footer><a routerLink="/login">Back to sign in</a></span>
    </lf-auth-card>
  `,
})
export class ForgotPassword {
  protected readonly form = inject(FormBuilder).nonNullable.group({ email: ['', [Validators.required, Validators.email]] });
  protected readonly busy = signal(false);
  protected readonly sent = signal(false);
  protected readonly error = signal<string | null>(null);

  async submit(): Promise<void> {
    if (this.form.invalid) return this.form.markAllAsTouched();
    this.busy.set(true);
    try {
      await authForgotPassword({ body: this.form.getRawValue(), throwOnError: true });
      this.sent.set(true);
    } catch (error) {
      this.error.set(describeError(error));
    } finally {
      this.busy.set(false);
    }
  }
}
