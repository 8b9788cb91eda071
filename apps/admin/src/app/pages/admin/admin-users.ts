import { ChangeDetectionStrategy, Component, OnInit, computed } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { adminUsers, type AdminUserResponse } from '@leadforge/sdk';
import { describeError } from '../../core/problem';
import { EmptyState } from '../../shared/components/empty-state';
import { Icon } from '../../shared/components/icon';
import { formatDateTime, labelOf } from '../../shared/format';
import { SearchList } from './search-list';

@Component({
  selector: 'lf-admin-users',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatProgressBarModule, MatTableModule, EmptyState, Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="lf-row" [formGroup]="searchForm" (ngSubmit)="search()" role="search" aria-label="Search users">
      <mat-form-field appearance="outline" class="search" subscriptSizing="dynamic">
        <mat-label>Search email or name</mat-label>
        <lf-icon matPrefix name="search" [size]="18" />
        <input matInput formControlName="q" maxlength="100" data-testid="admin-user-search" />
        @if (q.hasError('maxlength')) { <mat-error>At most 100 characters</mat-error> }
      </mat-form-field>
      <button mat-flat-button type="submit">Search</button>
    </form>
    @if (list.loading()) { <mat-progress-bar mode="indeterminate" aria-label="Loading users" /> }
    @if (errorText()) {
      <p class="lf-error-text" role="alert">{{ errorText() }}</p>
      <button mat-stroked-button (click)="search()">Try again</button>
    } @else if (!list.loading() && list.items().length === 0) {
      <lf-empty-state icon="leads" title="No users" [message]="list.query() ? 'Nobody matches “' + list.query() + '”.' : 'No user has signed up yet.'" />
    } @else if (list.items().length) {
      <div class="lf-table-wrap">
        <table mat-table [dataSource]="list.items()" aria-label="Users" data-testid="admin-users-table">
          <ng-container matColumnDef="name"><th mat-header-cell *matHeaderCellDef>Name</th>
            <td mat-cell *matCellDef="let row">{{ row.name }} @if (row.isPlatformAdmin) { <span class="badge">platform admin</span> }</td>
          </ng-container>
          <ng-container matColumnDef="email"><th mat-header-cell *matHeaderCellDef>Email</th>
            <td mat-cell *matCellDef="let row">{{ row.email }} @if (!row.emailVerified) { <span class="lf-muted">(unconfirmed)</span> }</td>
          </ng-container>
          <ng-container matColumnDef="orgs"><th mat-header-cell *matHeaderCellDef>Organizations</th>
            <td mat-cell *matCellDef="let row">{{ describeMemberships(row) }}</td>
          </ng-container>
          <ng-container matColumnDef="createdAt"><th mat-header-cell *matHeaderCellDef>Signed up</th><td mat-cell *matCellDef="let row">{{ formatDateTime(row.createdAt) }}</td></ng-container>
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let row; columns: columns"></tr>
        </table>
      </div>
      @if (list.nextCursor()) { <div class="more"><button mat-stroked-button (click)="list.more()" [disabled]="list.loading()">Load more</button></div> }
    }
  `,
  styles: `
    .search { width: 360px; }
    .badge { margin-left: 6px; font-size: 11px; padding: 1px 8px; border-radius: 999px; background: #ede9fe; color: #5b21b6; }
    .more { display: flex; justify-content: center; padding: 12px; }
    form { margin-bottom: 16px; }
  `,
})
export class AdminUsers implements OnInit {
  protected readonly q = new FormControl('', { nonNullable: true, validators: [Validators.maxLength(100)] });
  protected readonly searchForm = new FormGroup({ q: this.q });
  protected readonly list = new SearchList<AdminUserResponse>(async (q, cursor) => (await adminUsers({ query: { limit: 50, ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) }, throwOnError: true })).data);
  protected readonly errorText = computed(() => (this.list.error() ? describeError(this.list.error()) : null));
  protected readonly columns = ['name', 'email', 'orgs', 'createdAt'];
  protected readonly formatDateTime = formatDateTime;

  ngOnInit(): void {
    void this.list.search('');
  }

  search(): void {
    if (this.q.invalid) return;
    void this.list.search(this.q.value);
  }

  protected describeMemberships(user: AdminUserResponse): string {
    return user.memberships.length ? user.memberships.map((membership) => `${membership.orgName} (${labelOf(membership.role)})`).join(', ') : '—';
  }
}
