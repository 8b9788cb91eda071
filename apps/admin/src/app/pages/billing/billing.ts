import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import {
  paymentsCancelSubscription, paymentsCreateCheckout, paymentsCredits, paymentsPlans, paymentsPortal, paymentsResumeSubscription, paymentsSubscriptionStatus,
  type CreditsResponse, type LedgerEntryResponse, type PlanResponse, type SubscriptionStatusResponse,
} from '@leadforge/sdk';
import { NotifyService } from '../../core/notify.service';
import { describeError } from '../../core/problem';
import { PageHeader } from '../../shared/components/page-header';
import { CursorList } from '../../shared/cursor-list';
import { formatCount, formatDateTime, labelOf } from '../../shared/format';

@Component({
  selector: 'lf-billing',
  imports: [MatButtonModule, MatTableModule, MatProgressBarModule, PageHeader],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <lf-page-header title="Billing" subtitle="Your plan, credits and every credit movement." />
    @if (error()) {
      <p class="lf-error-text" role="alert">{{ error() }}</p>
      <button mat-stroked-button (click)="load()">Try again</button>
    }
    @if (status(); as s) {
      @if (!s.billingConfigured) { <div class="note" role="status">Payments are not configured on this server: plans cannot be bought here yet. Credits and the ledger still work.</div> }
      @if (s.paymentPastDue) { <div class="note danger" role="alert">A payment is overdue. New scrapes are refused until it is paid — open the customer portal to fix it.</div> }
      <div class="top">
        <section class="lf-card">
          <h2>Current plan</h2>
          <div class="plan">{{ s.plan.name }}</div>
          <p class="lf-muted">{{ formatCount(s.plan.monthlyCredits) }} credits a month · {{ s.plan.concurrentTasks }} concurrent tasks · {{ s.plan.seats }} seats</p>
          @if (s.currentPeriodEnd) { <p>{{ s.cancelAtPeriodEnd ? 'Ends' : 'Renews' }} on {{ formatDateTime(s.currentPeriodEnd) }}</p> }
          <div class="lf-row">
            @if (s.billingConfigured && s.status) { <button mat-stroked-button (click)="portal()" [disabled]="busy()">Manage payment</button> }
            @if (s.status && !s.cancelAtPeriodEnd) { <button mat-button class="danger-text" (click)="cancel()" [disabled]="busy()">Cancel at period end</button> }
            @if (s.cancelAtPeriodEnd) { <button mat-flat-button (click)="resume()" [disabled]="busy()">Keep my subscription</button> }
          </div>
        </section>
        <section class="lf-card">
          <h2>Credits</h2>
          <div class="plan" data-testid="billing-balance">{{ formatCount(ledger.lastPage()?.balance) }}</div>
          <p class="lf-muted">1 credit = 1 page fetched. A scrape reserves its pages at start and gives back what it did not use.</p>
        </section>
      </div>
      <h2 class="section">Plans</h2>
      <div class="plans">
        @for (plan of plans(); track plan.id) {
          <section class="lf-card plan-card" [class.current]="plan.id === s.plan.id">
            <h3>{{ plan.name }}</h3>
            <div class="big">{{ formatCount(plan.monthlyCredits) }} <span>credits / month</span></div>
            <ul>
              <li>{{ plan.concurrentTasks }} concurrent tasks</li>
              <li>Up to {{ formatCount(plan.maxPagesPerSeed) }} pages per seed</li>
              <li>{{ plan.seats }} seats</li>
              <li>{{ plan.creditsRollOver ? 'Unused credits roll over' : 'Credits reset monthly' }}</li>
            </ul>
            @if (plan.id === s.plan.id) { <button mat-stroked-button disabled>Current plan</button> }
            @else if (plan.purchasable && plan.id !== 'free') { <button mat-flat-button (click)="checkout(plan)" [disabled]="busy()">Upgrade to {{ plan.name }}</button> }
          </section>
        }
      </div>
    } @else if (!error()) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading billing" />
    }
    <h2 class="section">Ledger</h2>
    <div class="lf-table-wrap">
      <table mat-table [dataSource]="ledger.items()" aria-label="Credit ledger">
        <ng-container matColumnDef="createdAt"><th mat-header-cell *matHeaderCellDef>When</th><td mat-cell *matCellDef="let row">{{ formatDateTime(row.createdAt) }}</td></ng-container>
        <ng-container matColumnDef="reason"><th mat-header-cell *matHeaderCellDef>Reason</th><td mat-cell *matCellDef="let row">{{ labelOf(row.reason) }}</td></ng-container>
        <ng-container matColumnDef="delta"><th mat-header-cell *matHeaderCellDef>Change</th><td mat-cell *matCellDef="let row" [class.neg]="row.delta < 0" [class.pos]="row.delta > 0">{{ row.delta > 0 ? '+' : '' }}{{ formatCount(row.delta) }}</td></ng-container>
        <ng-container matColumnDef="balanceAfter"><th mat-header-cell *matHeaderCellDef>Balance</th><td mat-cell *matCellDef="let row">{{ formatCount(row.balanceAfter) }}</td></ng-container>
        <tr mat-header-row *matHeaderRowDef="columns"></tr>
        <tr mat-row *matRowDef="let row; columns: columns"></tr>
      </table>
    </div>
    @if (ledger.nextCursor()) { <div class="more"><button mat-stroked-button (click)="ledger.more()" [disabled]="ledger.loading()">Load more</button></div> }
  `,
  styles: `
    .note { padding: 10px 14px; border-radius: 10px; background: #eff6ff; border: 1px solid #bfdbfe; margin-bottom: 16px; }
    .note.danger { background: #fef2f2; border-color: #fecaca; color: #991b1b; }
    .top { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
    .plan { font-size: 28px; font-weight: 700; letter-spacing: -0.02em; }
    .section { font-size: 16px; margin: 24px 0 12px; }
    .plans { display: grid; grid-template-columns: repeat(3, 1fr); gap: 16px; }
    .plan-card.current { border-color: var(--lf-accent); box-shadow: 0 0 0 1px var(--lf-accent); }
    .plan-card h3 { font-size: 16px; }
    .big { font-size: 22px; font-weight: 700; margin: 6px 0; }
    .big span { font-size: 13px; font-weight: 400; color: var(--lf-muted); }
    .plan-card ul { padding-left: 18px; color: var(--lf-muted); }
    .neg { color: var(--lf-danger); }
    .pos { color: var(--lf-success); }
    .danger-text { color: var(--lf-danger); }
    .more { display: flex; justify-content: center; padding: 12px; }
  `,
})
export class Billing implements OnInit {
  private readonly notify = inject(NotifyService);
  protected readonly status = signal<SubscriptionStatusResponse | null>(null);
  protected readonly plans = signal<PlanResponse[]>([]);
  /** The first page comes with the rest of the page (below); the balance shown is the one of the latest page. */
  protected readonly ledger = new CursorList<LedgerEntryResponse, CreditsResponse>(
    async (_q, cursor) => (await paymentsCredits({ query: { limit: 50, ...(cursor ? { cursor } : {}) }, throwOnError: true })).data,
    { onMoreError: (error) => this.notify.error(error) },
  );
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly columns = ['createdAt', 'reason', 'delta', 'balanceAfter'];
  protected readonly formatCount = formatCount;
  protected readonly formatDateTime = formatDateTime;
  protected readonly labelOf = labelOf;

  ngOnInit(): void {
    void this.load();
  }

  /** The plan, the plans and the first ledger page together; "Try again" after a failure loads them all again. */
  async load(): Promise<void> {
    this.error.set(null);
    try {
      const [status, plans, credits] = await Promise.all([
        paymentsSubscriptionStatus({ throwOnError: true }),
        paymentsPlans({ throwOnError: true }),
        paymentsCredits({ query: { limit: 50 }, throwOnError: true }),
      ]);
      this.status.set(status.data);
      this.plans.set(plans.data.items);
      this.ledger.showFirstPage(credits.data);
    } catch (error) {
      this.error.set(describeError(error));
    }
  }

  async checkout(plan: PlanResponse): Promise<void> {
    await this.redirect(async () => (await paymentsCreateCheckout({ body: { plan: plan.id as 'pro' | 'business' }, headers: { 'Idempotency-Key': crypto.randomUUID() }, throwOnError: true })).data.url);
  }

  async portal(): Promise<void> {
    await this.redirect(async () => (await paymentsPortal({ throwOnError: true })).data.url);
  }

  async cancel(): Promise<void> {
    await this.update(() => paymentsCancelSubscription({ throwOnError: true }), 'Your subscription ends at the end of the period');
  }

  async resume(): Promise<void> {
    await this.update(() => paymentsResumeSubscription({ throwOnError: true }), 'Your subscription continues');
  }

  private async update(call: () => Promise<{ data: SubscriptionStatusResponse }>, message: string): Promise<void> {
    this.busy.set(true);
    try {
      this.status.set((await call()).data);
      this.notify.success(message);
    } catch (error) {
      this.notify.error(error);
    } finally {
      this.busy.set(false);
    }
  }

  private async redirect(url: () => Promise<string>): Promise<void> {
    this.busy.set(true);
    try {
      window.location.assign(await url());
    } catch (error) {
      this.notify.error(error);
      this.busy.set(false);
    }
  }
}
