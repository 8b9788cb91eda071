import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { optOutList, type SuppressionItem, type SuppressionListResponse } from '@leadforge/sdk';
import { NotifyService } from '../../core/notify.service';
import { SessionService } from '../../core/session.service';
import { CursorList } from '../../shared/cursor-list';
import { formatCount, formatDateTime, labelOf } from '../../shared/format';

type Kind = 'email' | 'profile_url' | 'domain';

/** The global opt-out list: counts for everyone; the (hashed) entries for platform administrators. */
@Component({
  selector: 'lf-suppressions',
  imports: [RouterLink, MatButtonModule, MatProgressBarModule, MatSelectModule, MatTableModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p class="lf-muted">People who asked not to be collected. Only keyed hashes are stored; matching leads are deleted in every organization and skipped by later scrapes.
      The public form is at <a routerLink="/opt-out">/opt-out</a>.</p>
    @if (list.errorText()) {
      <p class="lf-error-text" role="alert">{{ list.errorText() }}</p>
      <button mat-stroked-button (click)="list.reload()">Try again</button>
    } @else if (list.lastPage(); as page) {
      <div class="counts" data-testid="suppression-counts">
        <div class="lf-card"><span class="lf-muted">Email addresses</span><strong>{{ formatCount(page.counts.email) }}</strong></div>
        <div class="lf-card"><span class="lf-muted">Profile URLs</span><strong>{{ formatCount(page.counts.profileUrl) }}</strong></div>
        <div class="lf-card"><span class="lf-muted">Domains</span><strong>{{ formatCount(page.counts.domain) }}</strong></div>
        <div class="lf-card"><span class="lf-muted">Total</span><strong>{{ formatCount(page.counts.total) }}</strong></div>
      </div>
      @if (isPlatformAdmin()) {
        <div class="lf-row head">
          <h2>Entries</h2>
          <span class="lf-spacer"></span>
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>Kind</mat-label>
            <mat-select [value]="kind()" (valueChange)="setKind($event)">
              <mat-option [value]="null">All</mat-option>
              <mat-option value="email">Email</mat-option>
              <mat-option value="profile_url">Profile URL</mat-option>
              <mat-option value="domain">Domain</mat-option>
            </mat-select>
          </mat-form-field>
        </div>
        @if (list.items().length === 0) { <p class="lf-muted">No entries.</p> }
        @else {
          <div class="lf-table-wrap">
            <table mat-table [dataSource]="list.items()" aria-label="Opt-out entries">
              <ng-container matColumnDef="createdAt"><th mat-header-cell *matHeaderCellDef>When</th><td mat-cell *matCellDef="let row">{{ formatDateTime(row.createdAt) }}</td></ng-container>
              <ng-container matColumnDef="kind"><th mat-header-cell *matHeaderCellDef>Kind</th><td mat-cell *matCellDef="let row">{{ labelOf(row.kind) }}</td></ng-container>
              <ng-container matColumnDef="hash"><th mat-header-cell *matHeaderCellDef>Hash</th><td mat-cell *matCellDef="let row"><code>{{ row.hash }}</code></td></ng-container>
              <tr mat-header-row *matHeaderRowDef="columns"></tr>
              <tr mat-row *matRowDef="let row; columns: columns"></tr>
            </table>
          </div>
          @if (list.nextCursor()) { <div class="more"><button mat-stroked-button (click)="list.more()" [disabled]="list.loading()">Load more</button></div> }
        }
      }
    } @else {
      <mat-progress-bar mode="indeterminate" aria-label="Loading opt-outs" />
    }
  `,
  styles: `
    .counts { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin-bottom: 20px; }
    .counts .lf-card { display: flex; flex-direction: column; gap: 4px; }
    .counts strong { font-size: 22px; }
    .head h2 { font-size: 15px; }
    .more { display: flex; justify-content: center; padding: 12px; }
  `,
})
export class Suppressions implements OnInit {
  private readonly notify = inject(NotifyService);
  private readonly session = inject(SessionService);
  protected readonly isPlatformAdmin = computed(() => this.session.me()?.isPlatformAdmin === true);
  protected readonly kind = signal<Kind | null>(null);
  /** The counts come with every page; a failed "Load more" is a snackbar, the entries stay. */
  protected readonly list = new CursorList<SuppressionItem, SuppressionListResponse>(
    async (_q, cursor) => {
      const kind = this.kind();
      return (await optOutList({ query: { limit: 50, ...(cursor ? { cursor } : {}), ...(kind ? { kind } : {}) }, throwOnError: true })).data;
    },
    { onMoreError: (error) => this.notify.error(error) },
  );
  protected readonly columns = ['createdAt', 'kind', 'hash'];
  protected readonly formatCount = formatCount;
  protected readonly formatDateTime = formatDateTime;
  protected readonly labelOf = labelOf;

  ngOnInit(): void {
    void this.list.reload();
  }

  setKind(kind: Kind | null): void {
    this.kind.set(kind);
    void this.list.restart();
  }
}
