import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { RouterLink } from '@angular/router';
import { authRegister } from '@leadforge/sdk';
import { describeError } from '../../core/problem';
import { AuthCard } from './auth-card';
import { FormError } from './form-error';

@Component({
  selector: 'lf-register',
  imports: [ReactiveFormsModule, RouterLink, MatFormFieldModule, MatInputModule, MatButtonModule, MatProgressSpinnerModule, AuthCard, FormError],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (doneFor(); as email) {
      <lf-auth-card title="Check your inbox" subtitle="One more step.">
        <p data-testid="register-done">We sent a confirmation link to <strong>{{ email }}</strong>. Follow it to activate your account, then sign in.</p>
        <a mat-flat-button class="lf-full" routerLink="/login">Go to sign in</a>
      </lf-auth-card>
    } @else {
      <lf-auth-card title="Create your account" subtitle="Start finding leads in minutes. 1,000 free credits included.">
        <lf-form-error [message]="error()" />
        <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
          <mat-form-field appearance="outline" class="lf-full">
            <mat-label>Full name</mat-label>
            <input matInput formControlName="name" autocomplete="name" name="name" />
          </mat-form-field>
          <mat-form-field appearance="outline" class="lf-full">
            <mat-label>Work email</mat-label>
            <input matInput type="email" formControlName="email" autocomplete="email" name="email" />
            @if (form.controls.email.hasError('email')) { <mat-error>Enter a valid email address</mat-error> }
          </mat-form-field>
          <mat-form-field appearance="outline" class="lf-full">
            <mat-label>Organization (optional)</mat-label>
            <input matInput formControlName="orgName" autocomplete="organization" name="orgName" />
          </mat-form-field>
          <mat-form-field appearance="outline" class="lf-full">
            <mat-label>Password</mat-label>
            <input matInput type="password" formControlName="password" autocomplete="new-password" name="password" />
            <mat-hint>At least 10 characters; avoid common words and patterns.</mat-hint>
            @if (form.controls.password.hasError('minlength')) { <mat-error>At least 10 characters</mat-error> }
          </mat-form-field>
          <button mat-flat-button class="lf-full submit" type="submit" [disabled]="busy()">
            @if (busy()) { <mat-spinner diameter="18" /> } @else { Create account }
          </button>
        </form>
        <span footer>Already have an account? <a routerLink="/login">Sign in</a></span>
      </lf-auth-card>
    }
  `,
  styles: `.submit { height: 44px; margin-top: 12px; }`,
})
export class Register {
  protected readonly form = inject(FormBuilder).nonNullable.group({
    name: ['', [Validators.required, Validators.maxLength(120)]],
    email: ['', [Validators.required, Validators.email]],
    orgName: ['', Validators.maxLength(120)],
    password: ['', [Validators.required, Validators.minLength(10), Validators.maxLength(128)]],
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly doneFor = signal<string | null>(null);

  async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    const { name, email, orgName, password } = this.form.getRawValue();
    try {
      await authRegister({ body: { name, email, password, ...(orgName.trim() ? { orgName: orgName.trim() } : {}) }, throwOnError: true });
      this.doneFor.set(email);
    } catch (error) {
      this.error.set(describeError(error));
    } finally {
      this.busy.set(false);
    }
  }
}
