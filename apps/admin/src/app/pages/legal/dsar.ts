import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { recordsDsar } from '@leadforge/sdk';
import { NotifyService } from '../../core/notify.service';
import { Icon } from '../../shared/components/icon';

/** A data subject access request: everything the organization holds on an address, downloaded as JSON. */
@Component({
  selector: 'lf-dsar',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatProgressSpinnerModule, Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="lf-card narrow">
      <h2>Data subject access request</h2>
      <p class="lf-muted">Everything this organization holds about an email address — leads, their sources, the tasks that found them and related audit events — as one JSON file. Each request is recorded in the audit log.</p>
      <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
        <mat-form-field appearance="outline" class="lf-full">
          <mat-label>Email address of the person</mat-label>
          <input matInput type="email" formControlName="email" maxlength="254" autocomplete="off" data-testid="dsar-email" />
          @if (form.controls.email.hasError('required')) { <mat-error>Enter the email address</mat-error> }
          @if (form.controls.email.hasError('email')) { <mat-error>Enter a valid email address</mat-error> }
        </mat-form-field>
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="dsar-download">
          @if (busy()) { <mat-spinner diameter="18" /> } @else { <lf-icon name="download" [size]="18" /> Download JSON }
        </button>
      </form>
      @if (lastFile()) { <p role="status" class="lf-muted" data-testid="dsar-done">Downloaded {{ lastFile() }}</p> }
    </section>
  `,
  styles: `.narrow { max-width: 560px; } lf-icon { margin-right: 4px; }`,
})
export class Dsar {
  private readonly notify = inject(NotifyService);
  protected readonly form = inject(FormBuilder).nonNullable.group({ email: ['', [Validators.required, Validators.email, Validators.maxLength(254)]] });
  protected readonly busy = signal(false);
  protected readonly lastFile = signal<string | null>(null);

  async submit(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    this.busy.set(true);
    try {
      const { data } = await recordsDsar({ body: { email: this.form.getRawValue().email.trim() }, throwOnError: true });
      const stamp = String(data['generatedAt'] ?? new Date().toISOString()).replace(/[:.]/g, '-');
      const name = `dsar-${stamp}.json`;
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.lastFile.set(name);
    } catch (error) {
      this.notify.error(error);
    } finally {
      this.busy.set(false);
    }
  }
}
