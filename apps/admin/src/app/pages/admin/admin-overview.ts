import { ChangeDetectionStrategy, Component, OnInit, computed, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { adminStats, type AdminStatsResponse } from '@leadforge/sdk';
import type { EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective } from 'ngx-echarts';
import { describeError } from '../../core/problem';
import { formatCount, formatDateTime, labelOf } from '../../shared/format';

const STATUS_COLORS: Record<string, string> = {
  queued: '#94a3b8', running: '#2563eb', paused: '#f59e0b', completed: '#15803d', failed: '#ef4444', cancelled: '#64748b', timed_out: '#b91c1c',
};
const AXIS = { axisLine: { lineStyle: { color: '#cbd5e1' } }, axisLabel: { color: '#5b6472' }, splitLine: { lineStyle: { color: '#eef2f7' } } };

export interface OverviewCard {
  label: string;
  value: string;
  note: string;
}

/** The cards of the overview, from GET admin/stats. */
export function overviewCards(stats: AdminStatsResponse): OverviewCard[] {
  const plans = stats.orgs.byPlan.map((row) => `${formatCount(row.orgs)} ${labelOf(row.plan)}`).join(' · ');
  return [
    {
      label: 'Users',
      value: formatCount(stats.users.total),
      note: `${formatCount(stats.users.newLast7Days)} new in 7 days · ${formatCount(stats.users.verified)} confirmed · ${formatCount(stats.users.suspended)} suspended · ${formatCount(stats.users.platformAdmins)} platform admins`,
    },
    { label: 'Organizations', value: formatCount(stats.orgs.total), note: plans },
    {
      label: 'Tasks (24 h)',
      value: formatCount(stats.tasks.last24HoursByStatus.reduce((sum, row) => sum + row.tasks, 0)),
      note: `${formatCount(stats.tasks.runningNow)} running now`,
    },
    { label: 'Leads', value: formatCount(stats.leads.total), note: `${formatCount(stats.leads.createdLast24Hours)} created in 24 h` },
    { label: 'Credits spent (30 days)', value: formatCount(stats.credits.consumedLast30Days), note: 'Task pages fetched, net of refunds' },
  ];
}

@Component({
  selector: 'lf-admin-overview',
  imports: [MatButtonModule, MatProgressBarModule, NgxEchartsDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="lf-row bar">
      <span class="lf-muted">{{ stats() ? 'As of ' + formatDateTime(stats()!.generatedAt) : '' }}</span>
      <span class="lf-spacer"></span>
      <button mat-stroked-button (click)="load()" [disabled]="loading()">Refresh</button>
    </div>
    @if (loading()) { <mat-progress-bar mode="indeterminate" aria-label="Loading the overview" /> }
    @if (error()) {
      <p class="lf-error-text" role="alert">{{ error() }}</p>
    }
    @if (stats(); as s) {
      <div class="cards" data-testid="admin-overview">
        @for (card of cards(); track card.label) {
          <div class="lf-card kpi" [attr.data-card]="card.label"><span class="label">{{ card.label }}</span><strong>{{ card.value }}</strong><span class="note">{{ card.note }}</span></div>
        }
      </div>
      <div class="grid">
        <section class="lf-card" aria-labelledby="tasks-title">
          <h2 id="tasks-title">Tasks of the last 24 hours</h2>
          @if (taskOption(); as option) { <div echarts [options]="option" class="chart" aria-label="Tasks of the last 24 hours by status"></div> }
          <p class="cdk-visually-hidden">
            @for (row of s.tasks.last24HoursByStatus; track row.status) { {{ labelOf(row.status) }}: {{ row.tasks }}. }
          </p>
        </section>
        <section class="lf-card" aria-labelledby="queues-title">
          <h2 id="queues-title">Job queues</h2>
          @if (s.queues.length === 0) {
            <p class="lf-muted">No queue yet.</p>
          } @else {
            <table class="queues" data-testid="admin-queues">
              <thead><tr><th scope="col">Queue</th><th scope="col" class="num">Waiting</th><th scope="col" class="num">Active</th></tr></thead>
              <tbody>
                @for (queue of s.queues; track queue.queue) {
                  <tr><td>{{ queue.queue }}</td><td class="num">{{ formatCount(queue.queued) }}</td><td class="num">{{ formatCount(queue.active) }}</td></tr>
                }
              </tbody>
            </table>
          }
        </section>
      </div>
    }
  `,
  styles: `
    .bar { margin-bottom: 12px; }
    .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 16px; margin-bottom: 16px; }
    .kpi { display: flex; flex-direction: column; gap: 2px; }
    .kpi .label { color: var(--lf-muted); font-weight: 500; }
    .kpi strong { font-size: 28px; letter-spacing: -0.02em; }
    .kpi .note { color: var(--lf-muted); font-size: 12.5px; }
    .grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; }
    @media (max-width: 1000px) { .grid { grid-template-columns: 1fr; } }
    .chart { height: 240px; }
    .queues { width: 100%; border-collapse: collapse; }
    .queues th, .queues td { text-align: left; padding: 6px 8px; border-top: 1px solid var(--lf-border); }
    .queues .num { text-align: right; font-variant-numeric: tabular-nums; }
  `,
})
export class AdminOverview implements OnInit {
  protected readonly stats = signal<AdminStatsResponse | null>(null);
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly cards = computed(() => {
    const stats = this.stats();
    return stats ? overviewCards(stats) : [];
  });
  protected readonly taskOption = computed<EChartsCoreOption | null>(() => {
    const stats = this.stats();
    if (!stats) return null;
    const rows = stats.tasks.last24HoursByStatus;
    return {
      animationDuration: 300,
      grid: { left: 40, right: 16, top: 16, bottom: 32 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: rows.map((row) => labelOf(row.status)), ...AXIS, axisLabel: { ...AXIS.axisLabel, interval: 0 } },
      yAxis: { type: 'value', minInterval: 1, ...AXIS },
      series: [{ type: 'bar', name: 'Tasks', data: rows.map((row) => ({ value: row.tasks, itemStyle: { color: STATUS_COLORS[row.status] ?? '#2563eb' } })) }],
    };
  });
  protected readonly formatCount = formatCount;
  protected readonly formatDateTime = formatDateTime;
  protected readonly labelOf = labelOf;

  ngOnInit(): void {
    void this.load();
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const { data } = await adminStats({ throwOnError: true });
      this.stats.set(data);
    } catch (error) {
      this.error.set(describeError(error));
    } finally {
      this.loading.set(false);
    }
  }
}
