import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TASK_PLATFORMS, TASK_STATUSES, type ScrapeTask, type TaskPlatform, type TaskStatus } from '../tasks/scrape-task.entity';
import type { TaskOptions } from '../tasks/task-options';

export class TaskProgressResponse {
  @ApiProperty() pagesQueued!: number;
  @ApiProperty() pagesFetched!: number;
  @ApiProperty() pagesFailed!: number;
  @ApiProperty() leadsFound!: number;
  @ApiProperty() leadsStored!: number;
  @ApiProperty() duplicates!: number;
  @ApiProperty() suppressed!: number;
  @ApiProperty({ minimum: 0, maximum: 100 }) percent!: number;
  @ApiProperty({ description: 'Average since the task started running.' }) pagesPerSecond!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Estimated seconds left; null until it can be estimated.' }) etaSeconds!: number | null;
}

export class TaskResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: TASK_PLATFORMS }) platform!: TaskPlatform;
  @ApiProperty({ enum: TASK_STATUSES }) status!: TaskStatus;
  @ApiProperty({ type: [String] }) seeds!: string[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Crawl options with every default applied.' }) options!: TaskOptions;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true }) selectors!: Record<string, unknown> | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true }) filters!: Record<string, unknown> | null;
  @ApiProperty() leadObjective!: string;
  @ApiProperty({ type: TaskProgressResponse }) progress!: TaskProgressResponse;
  @ApiProperty({ description: 'Credits held for this task (maxPages x seeds).' }) creditsReserved!: number;
  @ApiProperty({ description: 'Credits charged so far: one per page fetched.' }) creditsCharged!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true }) startedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) error?: string | null;
}

export class TaskListResponse {
  @ApiProperty({ type: [TaskResponse] }) items!: TaskResponse[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}

export class StartTaskResponse {
  @ApiProperty({ type: TaskResponse }) task!: TaskResponse;
}

const FINISHED: readonly TaskStatus[] = ['completed', 'failed', 'cancelled', 'timed_out'];

export function toTaskProgress(task: ScrapeTask, now = new Date()): TaskProgressResponse {
  const budget = Math.max(1, task.creditsReserved);
  const done = task.pagesFetched + task.pagesFailed;
  const finished = FINISHED.includes(task.status);
  // Pages known so far, capped by the budget: a small site finishes below its budget.
  const target = Math.max(1, Math.min(budget, Math.max(task.pagesQueued, done)));
  const percent = task.status === 'completed' ? 100 : Math.min(99, Math.floor((done / target) * 100));
  const elapsedSeconds = task.startedAt ? Math.max(0.001, ((task.finishedAt ?? now).getTime() - task.startedAt.getTime()) / 1000) : 0;
  const pagesPerSecond = elapsedSeconds > 0 ? Math.round((task.pagesFetched / elapsedSeconds) * 100) / 100 : 0;
  const remaining = Math.max(0, target - done);
  const etaSeconds = finished ? 0 : pagesPerSecond > 0 ? Math.ceil(remaining / pagesPerSecond) : null;
  return {
    pagesQueued: task.pagesQueued,
    pagesFetched: task.pagesFetched,
    pagesFailed: task.pagesFailed,
    leadsFound: task.leadsFound,
    leadsStored: task.leadsStored,
    duplicates: task.duplicates,
    suppressed: task.suppressed,
    percent,
    pagesPerSecond,
    etaSeconds,
  };
}

export function toTaskResponse(task: ScrapeTask): TaskResponse {
  return {
    id: task.id,
    name: task.name,
    platform: task.platform,
    status: task.status,
    seeds: task.seeds,
    options: task.options,
    selectors: (task.selectors as Record<string, unknown> | null) ?? null,
    filters: (task.filters as Record<string, unknown> | null) ?? null,
    leadObjective: task.leadObjective,
    progress: toTaskProgress(task),
    creditsReserved: task.creditsReserved,
    creditsCharged: task.creditsCharged,
    createdAt: task.createdAt.toISOString(),
    startedAt: task.startedAt?.toISOString() ?? null,
    finishedAt: task.finishedAt?.toISOString() ?? null,
    error: task.error,
  };
}
