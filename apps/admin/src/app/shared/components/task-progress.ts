import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { clampPercent, formatCount, formatEta, formatRate } from '../format';

export interface ProgressView {
  pagesQueued: number;
  pagesFetched: number;
  pagesFailed: number;
  leadsStored: number;
  percent: number;
  pagesPerSecond: number;
  etaSeconds: number | null;
}

/** The live progress of a task: bar, percentage, pages/s and ETA. */
@Component({
  selector: 'lf-task-progress',
  imports: [MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="top">
      <span class="percent" data-testid="progress-percent">{{ percent() }}%</span>
      <span class="lf-muted">{{ pages() }}</span>
    </div>
    <mat-progress-bar [mode]="indeterminate() ? 'indeterminate' : 'determinate'" [value]="percent()" [attr.aria-label]="'Progress ' + percent() + '%'" />
    <div class="stats">
      <span><strong data-testid="progress-rate">{{ rate() }}</strong></span>
      <span>ETA <strong data-testid="progress-eta">{{ eta() }}</strong></span>
      <span><strong>{{ leads() }}</strong> leads stored</span>
      @if (progress().pagesFailed > 0) { <span class="failed">{{ progress().pagesFailed }} failed</span> }
    </div>
  `,
  styles: `
    :host { display: block; }
    .top { display: flex; align-items: baseline; justify-content: space-between; margin-bottom: 8px; }
    .percent { font-size: 28px; font-weight: 600; letter-spacing: -0.02em; }
    .stats { display: flex; gap: 20px; flex-wrap: wrap; margin-top: 10px; color: var(--lf-muted); }
    .stats strong { color: var(--lf-text); font-weight: 600; }
    .failed { color: var(--lf-danger); }
  `,
})
export class TaskProgress {
  readonly progress = input.required<ProgressView>();
  readonly active = input(false);
  protected readonly percent = computed(() => clampPercent(this.progress().percent));
  protected readonly indeterminate = computed(() => this.active() && this.progress().pagesQueued === 0);
  protected readonly rate = computed(() => formatRate(this.progress().pagesPerSecond));
  protected readonly eta = computed(() => (this.active() ? formatEta(this.progress().etaSeconds) : '—'));
  protected readonly pages = computed(() => `${formatCount(this.progress().pagesFetched)} of ${formatCount(this.progress().pagesQueued)} pages`);
  protected readonly leads = computed(() => formatCount(this.progress().leadsStored));
}
