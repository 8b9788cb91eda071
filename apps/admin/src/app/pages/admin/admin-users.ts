import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { adminUpdateUser, adminUsers, type AdminUpdateUserRequest, type AdminUserResponse } from '@leadforge/sdk';
import { NotifyService } from '../../core/notify.service';
import { SessionService } from '../../core/session.service';
import { confirmAction, type ConfirmOptions } from '../../shared/components/confirm-dialog';
import { EmptyState } from '../../shared/components/empty-state';
import { Icon } from '../../shared/components/icon';
import { StatusChip } from '../../shared/components/status-chip';
import { CursorList } from '../../shared/cursor-list';
import { formatDateTime, labelOf } from '../../shared/format';

@Component({
  selector: 'lf-admin-users',
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, MatProgressBarModule, MatTableModule, EmptyState, Icon, StatusChip],
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
    @if (list.errorText()) {
      <p class="lf-error-text" role="alert">{{ list.errorText() }}</p>
      <button mat-stroked-button (click)="search()">Try again</button>
    } @else if (!list.loading() && list.items().length === 0) {
      <lf-empty-state icon="leads" title="No users" [message]="list.query() ? 'Nobody matches “' + list.query() + '”.' : 'No user has signed up yet.'" />
    } @else if (list.items().length) {
      <div class="lf-table-wrap">
        <table mat-table [dataSource]="list.items()" aria-label="Users" data-testid="admin-users-table">
          <ng-container matColumnDef="name"><th mat-header-cell *matHeaderCellDef>Name</th>
            <td mat-cell *matCellDef="let row">
              {{ row.name }} @if (row.isPlatformAdmin) { <span class="badge">platform admin</span> }
              @if (row.suspended) { <lf-status-chip status="suspended" data-testid="suspended-chip" /> }
            </td>
          </ng-container>
          <ng-container matColumnDef="email"><th mat-header-cell *matHeaderCellDef>Email</th>
            <td mat-cell *matCellDef="let row">{{ row.email }} @if (!row.emailVerified) { <span class="lf-muted">(unconfirmed)</span> }</td>
          </ng-container>
          <ng-container matColumnDef="orgs"><th mat-header-cell *matHeaderCellDef>Organizations</th>
            <td mat-cell *matCellDef="let row">{{ describeMemberships(row) }}</td>
          </ng-container>
          <ng-container matColumnDef="createdAt"><th mat-header-cell *matHeaderCellDef>Signed up</th><td mat-cell *matCellDef="let row">{{ formatDateTime(row.createdAt) }}</td></ng-container>
          <ng-container matColumnDef="actions"><th mat-header-cell *matHeaderCellDef><span class="cdk-visually-hidden">Actions</span></th>
            <td mat-cell *matCellDef="let row" class="actions">
              @let self = row.id === myId();
              @let busy = busyId() === row.id;
              <button mat-stroked-button type="button" data-testid="toggle-admin" [disabled]="self || busy"
                      [attr.title]="self ? 'You cannot change your own administrator rights' : null" (click)="toggleAdmin(row)">
                {{ row.isPlatformAdmin ? 'Remove platform admin' : 'Make platform admin' }}
              </button>
              <button mat-stroked-button type="button" data-testid="toggle-suspend" [class.danger]="!row.suspended" [disabled]="self || busy"
                      [attr.title]="self ? 'You cannot suspend yourself' : null" (click)="toggleSuspend(row)">
                {{ row.suspended ? 'Reactivate' : 'Suspend' }}
              </button>
            </td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let row; columns: columns" [attr.data-user]="row.email"></tr>
        </table>
      </div>
      @if (list.nextCursor()) { <div class="more"><button mat-stroked-button (click)="list.more()" [disabled]="list.loading()">Load more</button></div> }
    }
  `,
  styles: `
    .search { width: 360px; }
    .actions { white-space: nowrap; text-align: right; }
    .actions button + button { margin-left: 8px; }
    .danger:not([disabled]) { color: var(--lf-danger); }
    lf-status-chip { margin-left: 6px; }
    .badge { margin-left: 6px; font-size: 11px; padding: 1px 8px; border-radius: 999px; background: #ede9fe; color: #5b21b6; }
    .more { display: flex; justify-content: center; padding: 12px; }
    form { margin-bottom: 16px; }
  `,
})
export class AdminUsers implements OnInit {
  private readonly session = inject(SessionService);
  private readonly dialog = inject(MatDialog);
  private readonly notify = inject(NotifyService);
  protected readonly q = new FormControl('', { nonNullable: true, validators: [Validators.maxLength(100)] });
  protected readonly searchForm = new FormGroup({ q: this.q });
  protected readonly list = new CursorList<AdminUserResponse>(async (q, cursor) => (await adminUsers({ query: { limit: 50, ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) }, throwOnError: true })).data);
  protected readonly columns = ['name', 'email', 'orgs', 'createdAt', 'actions'];
  protected readonly myId = computed(() => this.session.me()?.id ?? null);
  protected readonly busyId = signal<string | null>(null);
  protected readonly formatDateTime = formatDateTime;

  ngOnInit(): void {
    void this.list.search('');
  }

  search(): void {
    if (this.q.invalid) return;
    void this.list.search(this.q.value);
  }

  async toggleAdmin(user: AdminUserResponse): Promise<void> {
    const grant = !user.isPlatformAdmin;
    await this.change(
      user,
      { isPlatformAdmin: grant },
      grant
        ? { title: 'Make platform admin?', message: `${user.name} (${user.email}) will see every organization and user, adjust credits, and manage other administrators.`, confirmLabel: 'Make platform admin' }
        : { title: 'Remove platform admin?', message: `${user.name} (${user.email}) loses access to the admin area at once.`, confirmLabel: 'Remove platform admin', danger: true },
      grant ? `${user.name} is now a platform administrator` : `${user.name} is no longer a platform administrator`,
    );
  }

  async toggleSuspend(user: AdminUserResponse): Promise<void> {
    const suspend = !user.suspended;
    await this.change(
      user,
      { suspended: suspend },
      suspend
        ? { title: 'Suspend this account?', message: `${user.name} (${user.email}) is signed out everywhere and cannot sign in until reactivated. API keys of their organizations keep working.`, confirmLabel: 'Suspend', danger: true }
        : { title: 'Reactivate this account?', message: `${user.name} (${user.email}) can sign in again.`, confirmLabel: 'Reactivate' },
      suspend ? `${user.name} is suspended` : `${user.name} is active again`,
    );
  }

  private async change(user: AdminUserResponse, body: AdminUpdateUserRequest, confirm: ConfirmOptions, done: string): Promise<void> {
    if (user.id === this.myId() || this.busyId()) return;
    if (!(await confirmAction(this.dialog, confirm))) return;
    this.busyId.set(user.id);
    try {
      const { data } = await adminUpdateUser({ path: { id: user.id }, body, throwOnError: true });
      this.list.replace((item) => item.id === data.id, data);
      this.notify.success(done);
    } catch (error) {
      this.notify.error(error);
    } finally {
      this.busyId.set(null);
    }
  }

  protected describeMemberships(user: AdminUserResponse): string {
    return user.memberships.length ? user.memberships.map((membership) => `${membership.orgName} (${labelOf(membership.role)})`).join(', ') : '—';
  }
}
