import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators, type AbstractControl, type ValidationErrors } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { adminAdjustCredits, type AdjustCreditsResponse } from '@leadforge/sdk';
import { describeError } from '../../core/problem';

export const MAX_ADJUSTMENT = 1_000_000;

/** A whole, non-zero number of credits within ±1,000,000 (what the API accepts). */
export const creditDelta = (control: AbstractControl): ValidationErrors | null => {
  const raw = control.value;
  if (raw === null || raw === '' || raw === undefined) return { required: true };
  const value = Number(raw);
  if (!Number.isInteger(value)) return { integer: true };
  if (value === 0) return { zero: true };
  if (Math.abs(value) > MAX_ADJUSTMENT) return { range: true };
  return null;
};

/** Add (positive) or take (negative) an organization's credits, with the reason that goes in its ledger. */
@Component({
  selector: 'lf-credit-adjust',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate class="lf-row" [attr.aria-label]="'Adjust credits of ' + orgName()">
      <mat-form-field appearance="outline">
        <mat-label>Credits (+/−)</mat-label>
        <input matInput type="number" formControlName="delta" step="1" data-testid="credit-delta" />
        @if (form.controls.delta.hasError('required')) { <mat-error>Enter a number of credits</mat-error> }
        @if (form.controls.delta.hasError('integer')) { <mat-error>Whole credits only</mat-error> }
        @if (form.controls.delta.hasError('zero')) { <mat-error>Not zero</mat-error> }
        @if (form.controls.delta.hasError('range')) { <mat-error>At most 1,000,000 either way</mat-error> }
      </mat-form-field>
      <mat-form-field appearance="outline" class="reason">
        <mat-label>Reason</mat-label>
        <input matInput formControlName="reason" maxlength="200" data-testid="credit-reason" />
        <mat-hint>Shown in the organization's ledger</mat-hint>
        @if (form.controls.reason.invalid) { <mat-error>3 to 200 characters</mat-error> }
      </mat-form-field>
      <button mat-flat-button type="submit" [disabled]="busy()" data-testid="credit-apply">Apply</button>
      <button mat-button type="button" (click)="cancelled.emit()">Cancel</button>
    </form>
    @if (error()) { <p class="lf-error-text" role="alert">{{ error() }}</p> }
  `,
  styles: `form { align-items: flex-start; } .reason { flex: 1 1 280px; } button { margin-top: 8px; }`,
})
export class CreditAdjust {
  readonly orgId = input.required<string>();
  readonly orgName = input('');
  readonly adjusted = output<AdjustCreditsResponse>();
  readonly cancelled = output<void>();
  protected readonly form = inject(FormBuilder).group({
    delta: [null as number | null, [creditDelta]],
    reason: ['', [Validators.required, Validators.minLength(3), Validators.maxLength(200)]],
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  async submit(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      const { delta, reason } = this.form.getRawValue();
      const { data } = await adminAdjustCredits({ path: { id: this.orgId() }, body: { delta: Number(delta), reason: (reason ?? '').trim() }, throwOnError: true });
      this.adjusted.emit(data);
    } catch (error) {
      this.error.set(describeError(error));
    } finally {
      this.busy.set(false);
    }
  }
}
