import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { authResetPassword } from '@leadforge/sdk';
import { describeError } from '../../core/problem';
import { AuthCard } from './auth-card';
import { FormError } from './form-error';

@Component({
  selector: 'lf-reset-password',
  imports: [ReactiveFormsModule, RouterLink, MatFormFieldModule, MatInputModule, MatButtonModule, AuthCard, FormError],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <lf-auth-card title="Choose a new password" subtitle="Every signed-in device will be signed out.">
      @if (done()) {
        <p role="status">Your password was changed. Sign in with the new one.</p>
        <a mat-flat-button class="lf-full" routerLink="/login">Sign in</a>
      } @else if (!token()) {
        <lf-form-error message="This link is incomplete. Ask for a new reset link." />
      } @else {
        <lf-form-error [message]="error()" />
        <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
          <mat-form-field appearance="outline" class="lf-full">
            <mat-label>New password</mat-label>
            <input matInput type="password" formControlName="password" autocomplete="new-password" />
            <mat-hint>At least 10 characters</mat-hint>
          </mat-form-field>
          <button mat-flat-button class="lf-full" type="submit" [disabled]="busy()">Set password</button>
        </form>
      }
      <span footer><a routerLink="/forgot-password">Request another link</a></span>
    </lf-auth-card>
  `,
  styles: `button[type='submit'] { margin-top: 12px; }`,
})
export class ResetPassword {
  readonly token = input<string>();
  protected readonly form = inject(FormBuilder).nonNullable.group({ password: ['', [Validators.required, Validators.minLength(10), Validators.maxLength(128)]] });
  protected readonly busy = signal(false);
  protected readonly done = signal(false);
  protected readonly error = signal<string | null>(null);

  async submit(): Promise<void> {
    if (this.form.invalid) return this.form.markAllAsTouched();
    this.busy.set(true);
    this.error.set(null);
    try {
      await authResetPassword({ body: { token: this.token() ?? '', password: this.form.getRawValue().password }, throwOnError: true });
      this.done.set(true);
    } catch (error) {
      this.error.set(describeError(error));
    } finally {
      this.busy.set(false);
    }
  }
}
