import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import type { AnyTaskEvent, TaskLeadSummary, TaskLogEvent, TaskStatusValue } from '@leadforge/contracts';
import { scraperPause, scraperResume, scraperStop, tasksGet, type TaskResponse } from '@leadforge/sdk';
import { EventsSocketService } from '../../core/events-socket.service';
import { NotifyService } from '../../core/notify.service';
import { describeError } from '../../core/problem';
import { EmptyState } from '../../shared/components/empty-state';
import { Icon } from '../../shared/components/icon';
import { PageHeader } from '../../shared/components/page-header';
import { StatusChip } from '../../shared/components/status-chip';
import { TaskProgress, type ProgressView } from '../../shared/components/task-progress';
import { formatCount, formatDateTime } from '../../shared/format';

const FINISHED: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled', 'timed_out']);
const MAX_LOG = 500;
const MAX_LEADS = 500;

@Component({
  selector: 'lf-task-view',
  imports: [RouterLink, MatButtonModule, MatTableModule, MatProgressSpinnerModule, PageHeader, StatusChip, TaskProgress, EmptyState, Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './task-view.html',
  styleUrl: './task-view.scss',
})
export class TaskView implements OnInit {
  private readonly socket = inject(EventsSocketService);
  private readonly notify = inject(NotifyService);
  private readonly destroyRef = inject(DestroyRef);
  readonly id = input.required<string>();

  protected readonly task = signal<TaskResponse | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly status = signal<TaskStatusValue>('queued');
  private readonly lastProgress = signal<ProgressView>({ pagesQueued: 0, pagesFetched: 0, pagesFailed: 0, leadsStored: 0, percent: 0, pagesPerSecond: 0, etaSeconds: null });
  protected readonly log = signal<TaskLogEvent[]>([]);
  protected readonly leads = signal<TaskLeadSummary[]>([]);
  protected readonly leadCount = signal(0);
  protected readonly failure = signal<string | null>(null);
  protected readonly acting = signal(false);
  protected readonly active = computed(() => !FINISHED.has(this.status()));
  /** A completed task is done even when some queued pages were skipped or failed. */
  protected readonly progress = computed<ProgressView>(() =>
    this.status() === 'completed' ? { ...this.lastProgress(), percent: 100, etaSeconds: 0 } : this.lastProgress(),
  );
  protected readonly connection = this.socket.state;
  protected readonly disconnected = computed(() => this.active() && this.connection() === 'disconnected');
  protected readonly leadColumns = ['name', 'company', 'email', 'confidence', 'change'];
  protected readonly formatDateTime = formatDateTime;
  protected readonly formatCount = formatCount;

  async ngOnInit(): Promise<void> {
    try {
      const { data } = await tasksGet({ path: { id: this.id() }, throwOnError: true });
      this.task.set(data);
      this.status.set(data.status);
      this.lastProgress.set(data.progress);
      if (data.error) this.failure.set(String(data.error['message'] ?? data.error['code'] ?? 'The task failed.'));
    } catch (error) {
      this.loadError.set(describeError(error));
      return;
    }
    const stop = this.socket.watchTask(this.id(), 0, (event) => this.apply(event), (message) => this.notify.error(message));
    this.destroyRef.onDestroy(stop);
  }

  private apply(event: AnyTaskEvent): void {
    if ('status' in event) {
      this.status.set(event.status);
      if (event.error) this.failure.set(event.error);
      if (FINISHED.has(event.status)) void this.refreshSnapshot();
    } else if ('percent' in event) {
      this.lastProgress.set(event);
    } else if ('message' in event) {
      this.log.update((lines) => [...lines, event].slice(-MAX_LOG));
    } else if ('leads' in event) {
      this.leadCount.update((count) => count + event.leads.length);
      this.leads.update((rows) => [...event.leads, ...rows].slice(0, MAX_LEADS));
    }
  }

  /** The final counters (credits settled, last page counts) once the task has ended. */
  private async refreshSnapshot(): Promise<void> {
    const { data } = await tasksGet({ path: { id: this.id() } });
    if (data) {
      this.task.set(data);
      this.lastProgress.set(data.progress);
    }
  }

  async pause(): Promise<void> {
    await this.act(() => scraperPause({ path: { taskId: this.id() }, throwOnError: true }), 'Pausing…');
  }

  async resume(): Promise<void> {
    await this.act(() => scraperResume({ path: { taskId: this.id() }, throwOnError: true }), 'Resuming…');
  }

  async stop(): Promise<void> {
    await this.act(() => scraperStop({ path: { taskId: this.id() }, throwOnError: true }), 'Stopping…');
  }

  private async act(call: () => Promise<{ data: TaskResponse }>, message: string): Promise<void> {
    this.acting.set(true);
    try {
      const { data } = await call();
      this.status.set(data.status);
      this.notify.success(message);
    } catch (error) {
      this.notify.error(error);
    } finally {
      this.acting.set(false);
    }
  }
}
