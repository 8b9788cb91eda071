import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { retentionCleanup, retentionSetPolicy, retentionStats, type RetentionCleanupResponse, type RetentionStatsResponse } from '@leadforge/sdk';
import { NotifyService } from '../../core/notify.service';
import { describeError } from '../../core/problem';
import { formatCount, formatDateTime, labelOf } from '../../shared/format';

const LEADS_DAYS = { min: 30, max: 3650 };
const TASK_EVENTS_DAYS = { min: 7, max: 365 };

@Component({
  selector: 'lf-retention',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (error()) {
      <p class="lf-error-text" role="alert">{{ error() }}</p>
      <button mat-stroked-button (click)="load()">Try again</button>
    } @else if (!stats()) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading retention" />
    } @else {
      <div class="grid">
        <section class="lf-card">
          <h2>Policy</h2>
          <form [formGroup]="form" (ngSubmit)="save()" novalidate>
            <mat-form-field appearance="outline" class="lf-full" subscriptSizing="dynamic">
              <mat-label>Keep leads for (days)</mat-label>
              <input matInput type="number" formControlName="leadsDays" [min]="leads.min" [max]="leads.max" data-testid="leads-days" />
              <mat-hint>A lead neither created nor seen again for this long is deleted ({{ leads.min }}–{{ leads.max }}).</mat-hint>
              @if (form.controls.leadsDays.invalid) { <mat-error>Between {{ leads.min }} and {{ leads.max }} whole days</mat-error> }
            </mat-form-field>
            <mat-form-field appearance="outline" class="lf-full" subscriptSizing="dynamic">
              <mat-label>Keep task events for (days)</mat-label>
              <input matInput type="number" formControlName="taskEventsDays" [min]="events.min" [max]="events.max" />
              <mat-hint>Progress, logs and found-lead events of tasks ({{ events.min }}–{{ events.max }}).</mat-hint>
              @if (form.controls.taskEventsDays.invalid) { <mat-error>Between {{ events.min }} and {{ events.max }} whole days</mat-error> }
            </mat-form-field>
            <p class="lf-muted">Soft-deleted leads are purged {{ stats()!.policy.softDeletedLeadsDays }} days after deletion.
              {{ stats()!.policy.updatedAt ? 'Last changed ' + formatDateTime(stats()!.policy.updatedAt) + '.' : 'The defaults apply.' }}</p>
            <button mat-flat-button type="submit" [disabled]="busy() || form.pristine" data-testid="save-retention">Save policy</button>
          </form>
        </section>
        <section class="lf-card" aria-live="polite">
          <h2>What is held</h2>
          <table class="stats" data-testid="retention-stats">
            <thead><tr><th scope="col"></th><th scope="col">Held</th><th scope="col">Expiring in 7 days</th><th scope="col">Expired, awaiting cleanup</th></tr></thead>
            <tbody>
              <tr><th scope="row">Leads</th><td>{{ formatCount(stats()!.leads.total) }}</td><td>{{ formatCount(stats()!.leads.expiringIn7Days) }}</td><td>{{ formatCount(stats()!.leads.expiredAwaitingPurge) }}</td></tr>
              <tr><th scope="row">Task events</th><td>{{ formatCount(stats()!.taskEvents.total) }}</td><td>{{ formatCount(stats()!.taskEvents.expiringIn7Days) }}</td><td>{{ formatCount(stats()!.taskEvents.expiredAwaitingPurge) }}</td></tr>
            </tbody>
          </table>
          <p class="lf-muted">{{ lastRun() }}</p>
          <button mat-stroked-button (click)="runNow()" [disabled]="busy()" data-testid="run-cleanup">Run cleanup now</button>
          @if (lastCleanup(); as run) {
            <p role="status" data-testid="cleanup-result">Deleted {{ formatCount(run.leadsDeleted) }} leads ({{ formatCount(run.softDeletedLeadsPurged) }} soft-deleted) and {{ formatCount(run.taskEventsDeleted) }} task events.</p>
          }
        </section>
      </div>
    }
  `,
  styles: `
    .grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.3fr); gap: 16px; align-items: start; }
    mat-form-field { margin-bottom: 12px; }
    .stats { width: 100%; border-collapse: collapse; margin-bottom: 12px; }
    .stats th, .stats td { text-align: right; padding: 6px 8px; border-bottom: 1px solid var(--lf-border); }
    .stats th[scope='row'], .stats thead th:first-child { text-align: left; }
  `,
})
export class Retention implements OnInit {
  private readonly notify = inject(NotifyService);
  protected readonly leads = LEADS_DAYS;
  protected readonly events = TASK_EVENTS_DAYS;
  protected readonly form = inject(FormBuilder).nonNullable.group({
    leadsDays: [365, [Validators.required, Validators.min(LEADS_DAYS.min), Validators.max(LEADS_DAYS.max), Validators.pattern(/^\d+$/)]],
    taskEventsDays: [90, [Validators.required, Validators.min(TASK_EVENTS_DAYS.min), Validators.max(TASK_EVENTS_DAYS.max), Validators.pattern(/^\d+$/)]],
  });
  protected readonly stats = signal<RetentionStatsResponse | null>(null);
  protected readonly lastCleanup = signal<RetentionCleanupResponse | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly lastRun = computed(() => {
    const stats = this.stats();
    if (!stats?.lastRunAt) return 'No cleanup has run yet; it runs every day.';
    return `Last cleanup ${formatDateTime(stats.lastRunAt)} (${labelOf(stats.lastRunTrigger)}): ${formatCount(stats.lastDeletedCount)} rows deleted.`;
  });
  protected readonly formatCount = formatCount;
  protected readonly formatDateTime = formatDateTime;

  ngOnInit(): void {
    void this.load();
  }

  async load(): Promise<void> {
    this.error.set(null);
    try {
      const { data } = await retentionStats({ throwOnError: true });
      this.stats.set(data);
      this.form.reset({ leadsDays: data.policy.leadsDays, taskEventsDays: data.policy.taskEventsDays });
    } catch (error) {
      this.error.set(describeError(error));
    }
  }

  async save(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    this.busy.set(true);
    try {
      const { leadsDays, taskEventsDays } = this.form.getRawValue();
      await retentionSetPolicy({ body: { leadsDays: Number(leadsDays), taskEventsDays: Number(taskEventsDays) }, throwOnError: true });
      this.notify.success('Retention policy saved');
      await this.load();
    } catch (error) {
      this.notify.error(error);
    } finally {
      this.busy.set(false);
    }
  }

  async runNow(): Promise<void> {
    this.busy.set(true);
    try {
      const { data } = await retentionCleanup({ throwOnError: true });
      this.lastCleanup.set(data);
      await this.load();
    } catch (error) {
      this.notify.error(error);
    } finally {
      this.busy.set(false);
    }
  }
}
