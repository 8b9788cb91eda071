import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import { tasksBulkStop, tasksList, type TaskResponse } from '@leadforge/sdk';
import { EventsSocketService } from '../../core/events-socket.service';
import { NotifyService } from '../../core/notify.service';
import { EmptyState } from '../../shared/components/empty-state';
import { Icon } from '../../shared/components/icon';
import { PageHeader } from '../../shared/components/page-header';
import { StatusChip } from '../../shared/components/status-chip';
import { CursorList } from '../../shared/cursor-list';
import { clampPercent, formatCount, formatDateTime } from '../../shared/format';

const STOPPABLE = new Set(['queued', 'running', 'paused']);

@Component({
  selector: 'lf-task-list',
  imports: [RouterLink, MatTableModule, MatButtonModule, MatCheckboxModule, MatProgressBarModule, PageHeader, StatusChip, EmptyState, Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <lf-page-header title="Tasks" subtitle="Every scrape of your organization, newest first.">
      @if (selected().size > 0) {
        <button mat-stroked-button class="danger" (click)="stopSelected()" [disabled]="busy()"><lf-icon name="stop" [size]="18" /> Stop {{ selected().size }} selected</button>
      }
      <a mat-flat-button routerLink="/scrape"><lf-icon name="add" [size]="18" /> New scrape</a>
    </lf-page-header>
    @if (list.errorText(); as errorText) {
      <p class="lf-error-text" role="alert">{{ errorText }}</p>
      @if (list.items().length === 0) { <button mat-stroked-button (click)="reload()">Try again</button> }
    }
    @if (list.loading() && list.items().length === 0) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading tasks" />
    } @else if (list.items().length === 0) {
      @if (!list.error()) {
        <div class="lf-card"><lf-empty-state icon="tasks" title="No scrapes yet" message="Start one and follow its progress live."><a mat-flat-button routerLink="/scrape">New scrape</a></lf-empty-state></div>
      }
    } @else {
      <div class="lf-table-wrap">
        <table mat-table [dataSource]="list.items()" aria-label="Tasks">
          <ng-container matColumnDef="select">
            <th mat-header-cell *matHeaderCellDef><mat-checkbox [checked]="allSelected()" [indeterminate]="selected().size > 0 && !allSelected()" (change)="toggleAll()" aria-label="Select all running tasks" [disabled]="stoppable().length === 0" /></th>
            <td mat-cell *matCellDef="let task"><mat-checkbox [checked]="selected().has(task.id)" (change)="toggle(task.id)" [disabled]="!isStoppable(task)" [attr.aria-label]="'Select ' + task.name" /></td>
          </ng-container>
          <ng-container matColumnDef="name"><th mat-header-cell *matHeaderCellDef>Task</th><td mat-cell *matCellDef="let task"><a [routerLink]="['/tasks', task.id]">{{ task.name }}</a><div class="lf-muted small">{{ task.platform }} · {{ task.seeds.length }} seeds</div></td></ng-container>
          <ng-container matColumnDef="status"><th mat-header-cell *matHeaderCellDef>Status</th><td mat-cell *matCellDef="let task"><lf-status-chip [status]="task.status" /></td></ng-container>
          <ng-container matColumnDef="progress"><th mat-header-cell *matHeaderCellDef>Progress</th><td mat-cell *matCellDef="let task" class="progress"><mat-progress-bar mode="determinate" [value]="percent(task)" /><span class="small">{{ percent(task) }}%</span></td></ng-container>
          <ng-container matColumnDef="leads"><th mat-header-cell *matHeaderCellDef>Leads</th><td mat-cell *matCellDef="let task">{{ formatCount(task.progress.leadsStored) }}</td></ng-container>
          <ng-container matColumnDef="credits"><th mat-header-cell *matHeaderCellDef>Credits</th><td mat-cell *matCellDef="let task">{{ formatCount(task.creditsCharged) }} / {{ formatCount(task.creditsReserved) }}</td></ng-container>
          <ng-container matColumnDef="created"><th mat-header-cell *matHeaderCellDef>Created</th><td mat-cell *matCellDef="let task">{{ formatDateTime(task.createdAt) }}</td></ng-container>
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let row; columns: columns" class="lf-clickable" (dblclick)="open(row)"></tr>
        </table>
      </div>
      @if (list.nextCursor()) { <div class="more"><button mat-stroked-button (click)="list.more()" [disabled]="list.loading()">Load more</button></div> }
    }
  `,
  styles: `
    .small { font-size: 12px; }
    .progress { min-width: 140px; display: flex; align-items: center; gap: 8px; height: 52px; }
    .progress mat-progress-bar { width: 100px; }
    .more { display: flex; justify-content: center; padding: 16px; }
    .danger { color: var(--lf-danger); }
    a lf-icon, button lf-icon { margin-right: 4px; }
  `,
})
export class TaskList implements OnInit {
  private readonly notify = inject(NotifyService);
  private readonly router = inject(Router);
  /**
   * A failed refresh or "Load more" shows above the list, which stays on screen; when there is no list to keep
   * (the first load failed), the error comes alone with a "Try again", never with the "No scrapes yet" state.
   */
  protected readonly list = new CursorList<TaskResponse>(async (_q, cursor) => (await tasksList({ query: { limit: 50, ...(cursor ? { cursor } : {}) }, throwOnError: true })).data);
  protected readonly busy = signal(false);
  protected readonly selected = signal<ReadonlySet<string>>(new Set());
  protected readonly stoppable = computed(() => this.list.items().filter((task) => this.isStoppable(task)));
  protected readonly allSelected = computed(() => this.stoppable().length > 0 && this.stoppable().every((task) => this.selected().has(task.id)));
  protected readonly columns = ['select', 'name', 'status', 'progress', 'leads', 'credits', 'created'];
  protected readonly formatCount = formatCount;
  protected readonly formatDateTime = formatDateTime;

  constructor() {
    const stop = inject(EventsSocketService).onTasksChanged(() => void this.reload());
    inject(DestroyRef).onDestroy(stop);
  }

  ngOnInit(): void {
    void this.reload();
  }

  /**
   * The list again, as many rows as are shown (a refresh after "Load more" keeps them). Once it is shown, the
   * selection keeps only the tasks it still lists as stoppable, so "Stop selected" never acts on a task the page no
   * longer shows.
   */
  async reload(): Promise<void> {
    if (!(await this.list.reload())) return;
    const stoppable = new Set(this.stoppable().map((task) => task.id));
    const selected = this.selected();
    if ([...selected].every((id) => stoppable.has(id))) return;
    this.selected.set(new Set([...selected].filter((id) => stoppable.has(id))));
  }

  protected isStoppable(task: TaskResponse): boolean {
    return STOPPABLE.has(task.status);
  }

  protected percent(task: TaskResponse): number {
    return clampPercent(task.progress.percent);
  }

  toggle(id: string): void {
    const next = new Set(this.selected());
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this.selected.set(next);
  }

  toggleAll(): void {
    this.selected.set(this.allSelected() ? new Set() : new Set(this.stoppable().map((task) => task.id)));
  }

  async stopSelected(): Promise<void> {
    this.busy.set(true);
    try {
      await tasksBulkStop({ body: { taskIds: [...this.selected()] }, throwOnError: true });
      this.notify.success(`Stopping ${this.selected().size} task(s)`);
      this.selected.set(new Set());
      await this.reload();
    } catch (error) {
      this.notify.error(error);
    } finally {
      this.busy.set(false);
    }
  }

  open(task: TaskResponse): void {
    void this.router.navigate(['/tasks', task.id]);
  }
}
