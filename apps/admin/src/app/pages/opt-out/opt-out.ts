import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { RouterLink } from '@angular/router';
import { optOutRequest, type OptOutResponse } from '@leadforge/sdk';
import { describeError } from '../../core/problem';
import { AuthCard } from '../auth/auth-card';
import { FormError } from '../auth/form-error';
import { OPT_OUT_KINDS, optOutBody, optOutValueValidator, type OptOutKind } from './opt-out-request';

/** Public: anyone may ask us never to collect an email address, a profile URL or a domain. */
@Component({
  selector: 'lf-opt-out',
  imports: [ReactiveFormsModule, RouterLink, MatButtonModule, MatButtonToggleModule, MatFormFieldModule, MatInputModule, MatProgressSpinnerModule, AuthCard, FormError],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <lf-auth-card title="Opt out" subtitle="Ask Leadforge to delete and never collect data about you again.">
      @if (result(); as done) {
        <p role="status" class="done" data-testid="opt-out-done">{{ done.message }}</p>
        @if (done.status === 'suppressed') { <p class="lf-muted">Matching records were removed from every workspace and will be skipped from now on.</p> }
        <button mat-stroked-button class="lf-full" type="button" (click)="again()">Opt out something else</button>
      } @else {
        <lf-form-error [message]="error()" />
        <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
          <mat-button-toggle-group formControlName="kind" aria-label="What to opt out" class="kinds">
            @for (item of kinds; track item.kind) { <mat-button-toggle [value]="item.kind">{{ item.label }}</mat-button-toggle> }
          </mat-button-toggle-group>
          <mat-form-field appearance="outline" class="lf-full">
            <mat-label>{{ current().label }}</mat-label>
            <input matInput formControlName="value" [attr.maxlength]="current().max" [attr.inputmode]="kind() === 'email' ? 'email' : 'url'" autocomplete="off" data-testid="opt-out-value" />
            <mat-hint>{{ current().hint }}</mat-hint>
            @if (form.controls.value.errors?.['optOut']; as message) { <mat-error data-testid="opt-out-invalid">{{ message }}</mat-error> }
          </mat-form-field>
          <button mat-flat-button class="lf-full submit" type="submit" [disabled]="busy()">
            @if (busy()) { <mat-spinner diameter="18" /> } @else { Opt out }
          </button>
        </form>
      }
      <span footer>Have an account? <a routerLink="/login">Sign in</a></span>
    </lf-auth-card>
  `,
  styles: `
    .kinds { width: 100%; margin-bottom: 16px; }
    .kinds mat-button-toggle { flex: 1 1 0; }
    .submit { height: 44px; margin-top: 12px; }
    .done { background: #f0fdf4; border: 1px solid #bbf7d0; color: #166534; padding: 10px 12px; border-radius: 8px; }
  `,
})
export class OptOut {
  protected readonly kinds = OPT_OUT_KINDS;
  protected readonly form = inject(FormBuilder).nonNullable.group({ kind: 'domain' as OptOutKind, value: ['', optOutValueValidator] });
  protected readonly kind = toSignal(this.form.controls.kind.valueChanges, { initialValue: this.form.controls.kind.value });
  protected readonly current = computed(() => OPT_OUT_KINDS.find((item) => item.kind === this.kind())!);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly result = signal<OptOutResponse | null>(null);

  constructor() {
    this.form.controls.kind.valueChanges.pipe(takeUntilDestroyed()).subscribe(() => this.form.controls.value.updateValueAndValidity());
  }

  async submit(): Promise<void> {
    this.form.controls.value.updateValueAndValidity();
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      const { kind, value } = this.form.getRawValue();
      const { data } = await optOutRequest({ body: optOutBody(kind, value), throwOnError: true });
      this.result.set(data);
    } catch (error) {
      this.error.set(describeError(error));
    } finally {
      this.busy.set(false);
    }
  }

  again(): void {
    this.form.reset();
    this.result.set(null);
  }
}
