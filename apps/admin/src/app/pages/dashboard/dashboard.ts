import { ChangeDetectionStrategy, Component, OnInit, computed, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import {
  analyticsCategories, analyticsConfidence, analyticsPlatforms, analyticsSummary, analyticsTimeline, tasksList,
  type AnalyticsCategoriesResponse, type AnalyticsConfidenceResponse, type AnalyticsPlatformsResponse, type AnalyticsSummaryResponse, type AnalyticsTimelineResponse, type TaskResponse,
} from '@leadforge/sdk';
import type { EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective } from 'ngx-echarts';
import { describeError } from '../../core/problem';
import { EmptyState } from '../../shared/components/empty-state';
import { PageHeader } from '../../shared/components/page-header';
import { StatusChip } from '../../shared/components/status-chip';
import { clampPercent, formatCount, formatDateTime } from '../../shared/format';

const ANIMATION = { animationDuration: 300, animationDurationUpdate: 200 };
const PALETTE = ['#2563eb', '#8b5cf6', '#14b8a6', '#f59e0b', '#ef4444', '#64748b'];
const AXIS = { axisLine: { lineStyle: { color: '#cbd5e1' } }, axisLabel: { color: '#5b6472' }, splitLine: { lineStyle: { color: '#eef2f7' } } };

@Component({
  selector: 'lf-dashboard',
  imports: [RouterLink, MatButtonModule, MatProgressBarModule, NgxEchartsDirective, PageHeader, StatusChip, EmptyState],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './dashboard.html',
  styleUrl: './dashboard.scss',
})
export class Dashboard implements OnInit {
  protected readonly summary = signal<AnalyticsSummaryResponse | null>(null);
  private readonly timeline = signal<AnalyticsTimelineResponse | null>(null);
  private readonly platforms = signal<AnalyticsPlatformsResponse | null>(null);
  private readonly categories = signal<AnalyticsCategoriesResponse | null>(null);
  private readonly confidence = signal<AnalyticsConfidenceResponse | null>(null);
  protected readonly tasks = signal<TaskResponse[] | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly formatCount = formatCount;
  protected readonly formatDateTime = formatDateTime;
  protected readonly percent = (task: TaskResponse) => clampPercent(task.progress.percent);

  protected readonly kpis = computed(() => {
    const s = this.summary();
    if (!s) return [];
    const share = (part: number) => (s.total ? `${Math.round((part / s.total) * 100)}% of leads` : '—');
    return [
      { label: 'Leads', value: formatCount(s.total), note: `${formatCount(s.last7Days)} in the last 7 days` },
      { label: 'With email', value: formatCount(s.withEmail), note: share(s.withEmail) },
      { label: 'With phone', value: formatCount(s.withPhone), note: share(s.withPhone) },
      { label: 'Avg. confidence', value: s.avgConfidence === null ? '—' : String(s.avgConfidence), note: `${formatCount(s.byStatus.qualified)} qualified` },
    ];
  });

  protected readonly timelineOption = computed<EChartsCoreOption | null>(() => {
    const data = this.timeline();
    if (!data) return null;
    return {
      ...ANIMATION,
      color: PALETTE,
      grid: { left: 48, right: 16, top: 16, bottom: 32 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: data.items.map((item) => item.start), ...AXIS },
      yAxis: { type: 'value', minInterval: 1, ...AXIS },
      series: [{ type: 'line', name: 'Leads', smooth: true, showSymbol: data.items.length < 40, areaStyle: { opacity: 0.12 }, data: data.items.map((item) => item.count) }],
    };
  });

  protected readonly platformOption = computed<EChartsCoreOption | null>(() => {
    const data = this.platforms();
    if (!data) return null;
    return {
      ...ANIMATION,
      color: PALETTE,
      tooltip: { trigger: 'item' },
      legend: { bottom: 0, textStyle: { color: '#5b6472' } },
      series: [{ type: 'pie', radius: ['45%', '70%'], center: ['50%', '45%'], label: { show: false }, data: data.items.map((item) => ({ name: item.label, value: item.count })) }],
    };
  });

  protected readonly categoryOption = computed<EChartsCoreOption | null>(() => {
    const data = this.categories();
    if (!data) return null;
    const items = data.businessType.filter((item) => item.count > 0).sort((a, b) => b.count - a.count).slice(0, 10).reverse();
    return {
      ...ANIMATION,
      color: ['#8b5cf6'],
      grid: { left: 130, right: 24, top: 8, bottom: 24 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'value', minInterval: 1, ...AXIS },
      yAxis: { type: 'category', data: items.map((item) => item.label), ...AXIS },
      series: [{ type: 'bar', name: 'Leads', barMaxWidth: 18, itemStyle: { borderRadius: [0, 4, 4, 0] }, data: items.map((item) => item.count) }],
    };
  });

  protected readonly confidenceOption = computed<EChartsCoreOption | null>(() => {
    const data = this.confidence();
    if (!data) return null;
    return {
      ...ANIMATION,
      color: ['#14b8a6'],
      grid: { left: 48, right: 16, top: 16, bottom: 32 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: data.items.map((item) => `${item.from}–${item.to}`), ...AXIS },
      yAxis: { type: 'value', minInterval: 1, ...AXIS },
      series: [{ type: 'bar', name: 'Leads', barMaxWidth: 32, itemStyle: { borderRadius: [4, 4, 0, 0] }, data: data.items.map((item) => item.count) }],
    };
  });

  async ngOnInit(): Promise<void> {
    try {
      const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const [summary, timeline, platforms, categories, confidence, tasks] = await Promise.all([
        analyticsSummary({ throwOnError: true }),
        analyticsTimeline({ query: { interval: 'day', tz }, throwOnError: true }),
        analyticsPlatforms({ throwOnError: true }),
        analyticsCategories({ throwOnError: true }),
        analyticsConfidence({ throwOnError: true }),
        tasksList({ query: { limit: 5 }, throwOnError: true }),
      ]);
      this.summary.set(summary.data);
      this.timeline.set(timeline.data);
      this.platforms.set(platforms.data);
      this.categories.set(categories.data);
      this.confidence.set(confidence.data);
      this.tasks.set(tasks.data.items);
    } catch (error) {
      this.error.set(describeError(error));
    }
  }
}
