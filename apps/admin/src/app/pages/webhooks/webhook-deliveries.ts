import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { webhooksDeliveries, webhooksGet, webhooksPing, webhooksRedeliver, type WebhookDeliveryResponse, type WebhookResponse } from '@leadforge/sdk';
import { NotifyService } from '../../core/notify.service';
import { EmptyState } from '../../shared/components/empty-state';
import { PageHeader } from '../../shared/components/page-header';
import { StatusChip } from '../../shared/components/status-chip';
import { CursorList } from '../../shared/cursor-list';
import { formatDateTime } from '../../shared/format';

const PAGE_SIZE = 50;
/** While a delivery is still being attempted the log refreshes itself at this pace. */
const POLL_MS = 1_500;

@Component({
  selector: 'lf-webhook-deliveries',
  imports: [RouterLink, MatButtonModule, MatProgressBarModule, MatTableModule, EmptyState, PageHeader, StatusChip],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <lf-page-header title="Deliveries" [subtitle]="subtitle()" data-testid="deliveries-header">
      <a mat-button routerLink="/settings/webhooks">All endpoints</a>
      <button mat-stroked-button (click)="ping()" [disabled]="busy()">Send ping</button>
      <button mat-stroked-button (click)="load()" [disabled]="list.loadingFirstPage()">Refresh</button>
    </lf-page-header>
    @if (list.loadingFirstPage() && list.items().length === 0) { <mat-progress-bar mode="indeterminate" aria-label="Loading deliveries" /> }
    @if (list.errorText()) {
      <p class="lf-error-text" role="alert">{{ list.errorText() }}</p>
      <button mat-stroked-button (click)="load()">Try again</button>
    } @else if (!list.loadingFirstPage() && list.items().length === 0) {
      <lf-empty-state icon="bolt" title="No deliveries yet" message="Send a ping, or wait for a task to finish." />
    } @else if (list.items().length) {
      <div class="lf-table-wrap">
        <table mat-table [dataSource]="list.items()" aria-label="Deliveries" data-testid="delivery-table">
          <ng-container matColumnDef="createdAt"><th mat-header-cell *matHeaderCellDef>Created</th><td mat-cell *matCellDef="let row">{{ formatDateTime(row.createdAt) }}</td></ng-container>
          <ng-container matColumnDef="eventType"><th mat-header-cell *matHeaderCellDef>Event</th><td mat-cell *matCellDef="let row"><code>{{ row.eventType }}</code></td></ng-container>
          <ng-container matColumnDef="status"><th mat-header-cell *matHeaderCellDef>Status</th><td mat-cell *matCellDef="let row"><lf-status-chip [status]="row.status" data-testid="delivery-status" /></td></ng-container>
          <ng-container matColumnDef="attempts"><th mat-header-cell *matHeaderCellDef>Attempts</th><td mat-cell *matCellDef="let row">{{ row.attempts }}</td></ng-container>
          <ng-container matColumnDef="response"><th mat-header-cell *matHeaderCellDef>Last response</th>
            <td mat-cell *matCellDef="let row">{{ row.responseStatus ?? '—' }}@if (row.durationMs !== null) { <span class="lf-muted"> · {{ row.durationMs }} ms</span> }@if (row.lastError) { <div class="lf-error-text small">{{ row.lastError }}</div> }</td>
          </ng-container>
          <ng-container matColumnDef="next"><th mat-header-cell *matHeaderCellDef>Next retry / delivered</th>
            <td mat-cell *matCellDef="let row">{{ row.deliveredAt ? formatDateTime(row.deliveredAt) : formatDateTime(row.nextAttemptAt) }}</td>
          </ng-container>
          <ng-container matColumnDef="actions"><th mat-header-cell *matHeaderCellDef><span class="cdk-visually-hidden">Actions</span></th>
            <td mat-cell *matCellDef="let row">
              @if (row.status !== 'pending') { <button mat-button (click)="redeliver(row)" [disabled]="busy()" [attr.aria-label]="'Redeliver ' + row.eventType + ' of ' + formatDateTime(row.createdAt)">Redeliver</button> }
            </td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let row; columns: columns"></tr>
        </table>
      </div>
      @if (list.nextCursor()) { <div class="more"><button mat-stroked-button (click)="more()" [disabled]="list.loading()">Load more</button></div> }
    }
  `,
  styles: `.small { font-size: 12px; } .more { display: flex; justify-content: center; padding: 12px; }`,
})
export class WebhookDeliveries implements OnInit {
  readonly id = input.required<string>();
  private readonly notify = inject(NotifyService);
  protected readonly endpoint = signal<WebhookResponse | null>(null);
  protected readonly subtitle = computed(() => {
    const endpoint = this.endpoint();
    if (!endpoint) return 'Endpoint';
    return `${endpoint.url}${endpoint.enabled ? '' : ' · disabled'}${endpoint.description ? ` · ${endpoint.description}` : ''}`;
  });
  protected readonly list = new CursorList<WebhookDeliveryResponse>(
    async (_q, cursor) => (await webhooksDeliveries({ path: { id: this.id() }, query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }, throwOnError: true })).data,
    { onMoreError: (error) => this.notify.error(error) },
  );
  protected readonly busy = signal(false);
  protected readonly columns = ['createdAt', 'eventType', 'status', 'attempts', 'response', 'next', 'actions'];
  protected readonly formatDateTime = formatDateTime;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private destroyed = false;

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.destroyed = true;
      if (this.timer) clearTimeout(this.timer);
    });
  }

  ngOnInit(): void {
    void this.loadEndpoint();
    void this.load();
  }

  /** The header names the endpoint by its URL. A failure shows in the delivery log below (same endpoint), so not twice. */
  private async loadEndpoint(): Promise<void> {
    try {
      const { data } = await webhooksGet({ path: { id: this.id() }, throwOnError: true });
      this.endpoint.set(data);
    } catch {
      this.endpoint.set(null);
    }
  }

  /** Only the load whose answer is shown schedules the next poll, so there is never more than one timer. */
  async load(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (await this.list.reload()) this.pollWhilePending();
  }

  /** A pending delivery may first show up on a later page: it starts the polling too. */
  protected async more(): Promise<void> {
    await this.list.more();
    this.pollWhilePending();
  }

  /** Schedules the next refresh while a delivery shown is pending, unless one is scheduled or a load under way will decide. */
  private pollWhilePending(): void {
    if (this.destroyed || this.timer || this.list.loadingFirstPage()) return;
    if (this.list.items().some((item) => item.status === 'pending')) this.timer = setTimeout(() => void this.load(), POLL_MS);
  }

  ping(): Promise<void> {
    return this.act(() => webhooksPing({ path: { id: this.id() }, throwOnError: true }), 'Ping queued');
  }

  redeliver(delivery: WebhookDeliveryResponse): Promise<void> {
    return this.act(() => webhooksRedeliver({ path: { id: this.id(), deliveryId: delivery.id }, throwOnError: true }), 'Delivery queued again');
  }

  private async act(call: () => Promise<unknown>, success: string): Promise<void> {
    this.busy.set(true);
    try {
      await call();
      this.notify.success(success);
      await this.load();
    } catch (error) {
      this.notify.error(error);
    } finally {
      this.busy.set(false);
    }
  }
}
