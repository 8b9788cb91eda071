import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { adminOrgs, type AdjustCreditsResponse, type AdminOrgResponse } from '@leadforge/sdk';
import { NotifyService } from '../../core/notify.service';
import { EmptyState } from '../../shared/components/empty-state';
import { Icon } from '../../shared/components/icon';
import { CursorList } from '../../shared/cursor-list';
import { formatCount, formatDateTime, labelOf } from '../../shared/format';
import { CreditAdjust } from './credit-adjust';

@Component({
  selector: 'lf-admin-orgs',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatProgressBarModule, EmptyState, Icon, CreditAdjust],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="lf-row" [formGroup]="searchForm" (ngSubmit)="search()" role="search" aria-label="Search organizations">
      <mat-form-field appearance="outline" class="search" subscriptSizing="dynamic">
        <mat-label>Search organization name</mat-label>
        <lf-icon matPrefix name="search" [size]="18" />
        <input matInput formControlName="q" maxlength="100" data-testid="admin-org-search" />
      </mat-form-field>
      <button mat-flat-button type="submit">Search</button>
    </form>
    @if (list.loading()) { <mat-progress-bar mode="indeterminate" aria-label="Loading organizations" /> }
    @if (list.errorText()) {
      <p class="lf-error-text" role="alert">{{ list.errorText() }}</p>
      <button mat-stroked-button (click)="search()">Try again</button>
    } @else if (!list.loading() && list.items().length === 0) {
      <lf-empty-state icon="leads" title="No organizations" [message]="list.query() ? 'None matches “' + list.query() + '”.' : 'No organization exists yet.'" />
    } @else if (list.items().length) {
      <div class="lf-table-wrap">
        <table class="orgs" aria-label="Organizations" data-testid="admin-orgs-table">
          <thead><tr><th scope="col">Name</th><th scope="col">Plan</th><th scope="col" class="num">Credits</th><th scope="col" class="num">Members</th><th scope="col">Created</th><th scope="col"><span class="cdk-visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            @for (org of list.items(); track org.id) {
              <tr [attr.data-org]="org.name">
                <td>{{ org.name }}<div class="lf-muted mono">{{ org.id }}</div></td>
                <td>{{ labelOf(org.plan) }}</td>
                <td class="num" data-testid="org-balance">{{ formatCount(org.balance) }}</td>
                <td class="num">{{ formatCount(org.membersCount) }}</td>
                <td>{{ formatDateTime(org.createdAt) }}</td>
                <td><button mat-stroked-button (click)="editing.set(editing() === org.id ? null : org.id)" [attr.aria-expanded]="editing() === org.id" data-testid="adjust-credits">Adjust credits</button></td>
              </tr>
              @if (editing() === org.id) {
                <tr class="editor"><td colspan="6"><lf-credit-adjust [orgId]="org.id" [orgName]="org.name" (adjusted)="adjusted(org, $event)" (cancelled)="editing.set(null)" /></td></tr>
              }
            }
          </tbody>
        </table>
      </div>
      @if (list.nextCursor()) { <div class="more"><button mat-stroked-button (click)="list.more()" [disabled]="list.loading()">Load more</button></div> }
    }
  `,
  styles: `
    .search { width: 360px; }
    form { margin-bottom: 16px; }
    .orgs { border-collapse: collapse; }
    .orgs th, .orgs td { padding: 10px 12px; border-bottom: 1px solid var(--lf-border); text-align: left; vertical-align: top; }
    .orgs th { font-weight: 500; color: var(--lf-muted); font-size: 12px; }
    .orgs .num { text-align: right; }
    .editor td { background: #f8fafc; }
    .more { display: flex; justify-content: center; padding: 12px; }
  `,
})
export class AdminOrgs implements OnInit {
  private readonly notify = inject(NotifyService);
  protected readonly q = new FormControl('', { nonNullable: true, validators: [Validators.maxLength(100)] });
  protected readonly searchForm = new FormGroup({ q: this.q });
  protected readonly list = new CursorList<AdminOrgResponse>(async (q, cursor) => (await adminOrgs({ query: { limit: 50, ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) }, throwOnError: true })).data);
  protected readonly editing = signal<string | null>(null);
  protected readonly formatCount = formatCount;
  protected readonly formatDateTime = formatDateTime;
  protected readonly labelOf = labelOf;

  ngOnInit(): void {
    void this.list.search('');
  }

  search(): void {
    if (this.q.invalid) return;
    void this.list.search(this.q.value);
  }

  adjusted(org: AdminOrgResponse, result: AdjustCreditsResponse): void {
    this.list.replace((item) => item.id === org.id, { ...org, balance: result.balance });
    this.editing.set(null);
    this.notify.success(`${org.name}: ${result.delta > 0 ? '+' : ''}${formatCount(result.delta)} credits, balance ${formatCount(result.balance)}`);
  }
}
