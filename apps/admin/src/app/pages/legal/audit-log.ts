import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { ActivatedRoute, Router } from '@angular/router';
import { recordsAuditLog, type AuditLogItem } from '@leadforge/sdk';
import { NotifyService } from '../../core/notify.service';
import { EmptyState } from '../../shared/components/empty-state';
import { CursorList } from '../../shared/cursor-list';
import { formatDateTime } from '../../shared/format';
import { EMPTY_AUDIT_FILTERS, auditApiQuery, auditFiltersError, filtersFromParams, filtersToParams, type AuditFilters } from './audit-query';

const PAGE_SIZE = 50;

/** The organization's audit log; the filters live in the URL so a view can be shared. */
@Component({
  selector: 'lf-audit-log',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatProgressBarModule, MatTableModule, EmptyState],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="filters" [formGroup]="form" (ngSubmit)="apply()" aria-label="Audit log filters">
      <mat-form-field appearance="outline">
        <mat-label>Action</mat-label>
        <input matInput formControlName="action" maxlength="100" placeholder="auth.login. or legal." data-testid="audit-action" />
        <mat-hint>An action, or a prefix ending with a dot</mat-hint>
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Actor (user id)</mat-label>
        <input matInput formControlName="actorUserId" maxlength="36" />
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>From</mat-label>
        <input matInput type="date" formControlName="from" />
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>To</mat-label>
        <input matInput type="date" formControlName="to" />
      </mat-form-field>
      <div class="lf-row">
        <button mat-flat-button type="submit" data-testid="audit-apply">Apply</button>
        <button mat-button type="button" (click)="clear()">Clear</button>
      </div>
    </form>
    @if (formError()) { <p class="lf-error-text" role="alert">{{ formError() }}</p> }
    @if (list.loading()) { <mat-progress-bar mode="indeterminate" aria-label="Loading the audit log" /> }
    @if (list.errorText()) {
      <p class="lf-error-text" role="alert">{{ list.errorText() }}</p>
      <button mat-stroked-button (click)="list.reload()">Try again</button>
    } @else if (!list.loading() && list.items().length === 0) {
      <lf-empty-state icon="shield" title="No events" message="Nothing in the audit log matches these filters." />
    } @else if (list.items().length) {
      <div class="lf-table-wrap">
        <table mat-table [dataSource]="list.items()" aria-label="Audit log" data-testid="audit-table">
          <ng-container matColumnDef="createdAt"><th mat-header-cell *matHeaderCellDef>When</th><td mat-cell *matCellDef="let row">{{ formatDateTime(row.createdAt) }}</td></ng-container>
          <ng-container matColumnDef="action"><th mat-header-cell *matHeaderCellDef>Action</th><td mat-cell *matCellDef="let row"><code>{{ row.action }}</code></td></ng-container>
          <ng-container matColumnDef="actor"><th mat-header-cell *matHeaderCellDef>Actor</th>
            <td mat-cell *matCellDef="let row">
              @if (row.actorUserId) { <button mat-button type="button" class="mono" (click)="byActor(row.actorUserId)" [attr.aria-label]="'Only events by user ' + row.actorUserId">{{ row.actorUserId.slice(0, 8) }}…</button> }
              @else if (row.actorApiKeyId) { <span>API key <code>{{ row.actorApiKeyId.slice(0, 8) }}…</code></span> }
              @else { <span class="lf-muted">system</span> }
            </td>
          </ng-container>
          <ng-container matColumnDef="target"><th mat-header-cell *matHeaderCellDef>Target</th><td mat-cell *matCellDef="let row">{{ row.targetType ?? '—' }}</td></ng-container>
          <ng-container matColumnDef="ip"><th mat-header-cell *matHeaderCellDef>IP</th><td mat-cell *matCellDef="let row">{{ row.ip ?? '—' }}</td></ng-container>
          <ng-container matColumnDef="metadata"><th mat-header-cell *matHeaderCellDef>Details</th><td mat-cell *matCellDef="let row" class="meta">{{ describeMetadata(row) }}</td></ng-container>
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let row; columns: columns"></tr>
        </table>
      </div>
      @if (list.nextCursor()) { <div class="more"><button mat-stroked-button (click)="list.more()" [disabled]="list.loading()">Load more</button></div> }
    }
  `,
  styles: `
    .filters { display: flex; gap: 12px; flex-wrap: wrap; align-items: flex-start; margin-bottom: 20px; }
    .filters .lf-row { padding-top: 8px; }
    .meta { color: var(--lf-muted); max-width: 360px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .more { display: flex; justify-content: center; padding: 12px; }
  `,
})
export class AuditLog {
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly notify = inject(NotifyService);
  protected readonly form = inject(FormBuilder).nonNullable.group({ ...EMPTY_AUDIT_FILTERS });
  private filters: AuditFilters = EMPTY_AUDIT_FILTERS;
  /** Pages with the filters of the URL; a failed "Load more" is a snackbar, the events stay. */
  protected readonly list = new CursorList<AuditLogItem>(
    async (_q, cursor) => (await recordsAuditLog({ query: auditApiQuery(this.filters, PAGE_SIZE, cursor), throwOnError: true })).data,
    { onMoreError: (error) => this.notify.error(error) },
  );
  protected readonly formError = signal<string | null>(null);
  protected readonly columns = ['createdAt', 'action', 'actor', 'target', 'ip', 'metadata'];
  protected readonly formatDateTime = formatDateTime;

  constructor() {
    const subscription = this.route.queryParams.subscribe((params) => {
      this.filters = filtersFromParams(params);
      this.form.setValue(this.filters);
      void this.list.restart();
    });
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }

  apply(): void {
    const filters = this.form.getRawValue();
    const problem = auditFiltersError(filters);
    this.formError.set(problem);
    if (problem) return;
    void this.router.navigate([], { relativeTo: this.route, queryParams: filtersToParams(filters), queryParamsHandling: 'merge' });
  }

  clear(): void {
    this.formError.set(null);
    void this.router.navigate([], { relativeTo: this.route, queryParams: filtersToParams(EMPTY_AUDIT_FILTERS), queryParamsHandling: 'merge' });
  }

  byActor(userId: string): void {
    this.form.controls.actorUserId.setValue(userId);
    this.apply();
  }

  protected describeMetadata(row: AuditLogItem): string {
    const entries = Object.entries(row.metadata ?? {});
    return entries.length ? entries.map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`).join(', ') : '—';
  }
}
