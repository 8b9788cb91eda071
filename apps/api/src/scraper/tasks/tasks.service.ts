import { isIP } from 'node:net';
import { HttpStatus, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CreditsService } from '../../billing/credits.service';
import { PLANS, type PlanId } from '../../billing/plans';
import type { AuthContext } from '../../common/auth/auth-context';
import type { AppConfig } from '../../common/config/app-config';
import { InjectConfig } from '../../common/config/config.module';
import { AppError } from '../../common/errors/app-error';
import { blockedAddressReason } from '../../common/network/ssrf-guard';
import { IdempotencyService } from '../../common/idempotency/idempotency.service';
import { newId } from '../../common/ids';
import { type Page, toPage } from '../../common/pagination/page';
import { TenantDatabase } from '../../database/tenant-database';
import { QueueService } from '../../queue/queue.service';
import type { StartTaskDto } from '../dto/start-task.dto';
import { type StartTaskResponse, type TaskResponse, toTaskResponse } from '../dto/task.response';
import { ACTIVE_TASK_STATUSES, ScrapeTask, type TaskStatus } from './scrape-task.entity';
import { PlanLimitError, TaskLimitReachedError, TaskNotFoundError, TaskStateError } from './task-errors';
import { type StoredTaskEvent, TaskEventsService } from './task-events.service';
import { SHARD_QUEUE, TaskLifecycle } from './task-lifecycle.service';
import { TaskShard } from './task-shard.entity';
import { TasksRepository } from './tasks.repository';
import { applyOptionDefaults, normalizeSeeds, planShards } from './shard-plan';

export interface TaskEstimate {
  seeds: number;
  shards: number;
  maxPages: number;
  credits: number;
  balance: number;
  affordable: boolean;
  plan: PlanId;
  planLimits: { concurrentTasks: number; maxPagesPerSeed: number };
}

/** Scrape tasks: start (reserving credits), pause, resume, stop, read. */
@Injectable()
export class TasksService {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly tenant: TenantDatabase,
    private readonly tasks: TasksRepository,
    private readonly credits: CreditsService,
    private readonly lifecycle: TaskLifecycle,
    private readonly taskEvents: TaskEventsService,
    private readonly idempotency: IdempotencyService,
    private readonly queue: QueueService,
  ) {}

  async estimate(auth: AuthContext, dto: StartTaskDto): Promise<TaskEstimate> {
    const { seeds, options } = this.prepare(dto);
    return this.tenant.inOrg(auth.orgId, async (db) => {
      const balance = await this.credits.balance(db, auth.orgId);
      const plan = await this.planOf(db, auth.orgId);
      const credits = options.maxPages * seeds.length;
      return {
        seeds: seeds.length,
        shards: planShards(seeds, options.maxPages).length,
        maxPages: options.maxPages,
        credits,
        balance,
        affordable: balance >= credits && options.maxPages <= PLANS[plan].maxPagesPerSeed,
        plan,
        planLimits: { concurrentTasks: PLANS[plan].concurrentTasks, maxPagesPerSeed: PLANS[plan].maxPagesPerSeed },
      };
    });
  }

  /**
   * Creates the task, reserves maxPages x seeds credits and enqueues one job per seed host, all in
   * one transaction: either everything exists or nothing does.
   */
  async start(auth: AuthContext, dto: StartTaskDto, idempotencyKey?: string): Promise<{ statusCode: number; body: StartTaskResponse }> {
    const { seeds, options } = this.prepare(dto);
    return this.tenant.inOrg(auth.orgId, async (db) => {
      const create = async () => ({ statusCode: HttpStatus.ACCEPTED, body: { task: await this.create(db, auth, dto, seeds, options) } });
      if (!idempotencyKey) return create();
      const result = await this.idempotency.run(db, { orgId: auth.orgId, name: 'scraper.start', key: idempotencyKey, requestBody: dto }, create);
      return { statusCode: result.statusCode, body: result.body };
    });
  }

  private prepare(dto: StartTaskDto): { seeds: string[]; options: ReturnType<typeof applyOptionDefaults> } {
    if (!this.config.allowPrivateTargets) this.refuseLiteralPrivateSeeds(dto.seeds);
    if (dto.platform === 'directory' && !dto.selectors) {
      throw new AppError('validation_failed', HttpStatus.BAD_REQUEST, 'The request is invalid; see errors for each field.', {
        errors: [{ field: 'selectors', message: 'selectors (item, fields, next) are required for platform "directory"' }],
      });
    }
    return { seeds: normalizeSeeds(dto.seeds), options: applyOptionDefaults(dto.options) };
  }

  /**
   * Seeds that are private by their spelling alone (an IP literal in a private range, localhost)
   * are refused up front; names that resolve to private addresses are refused by the crawler's
   * guard at fetch time, after DNS.
   */
  private refuseLiteralPrivateSeeds(seeds: string[]): void {
    const errors = seeds.flatMap((seed, index) => {
      const host = new URL(seed).hostname.replace(/^\[|\]$/g, '');
      const reason = host === 'localhost' || host.endsWith('.localhost') ? 'loopback' : isIP(host) ? blockedAddressReason(host) : null;
      return reason ? [{ field: `seeds.${index}`, message: `${seed} is not a public address (${reason})` }] : [];
    });
    if (errors.length > 0) {
      throw new AppError('target_not_allowed', HttpStatus.UNPROCESSABLE_ENTITY, 'Some seeds point at private or local addresses, which are never crawled.', { errors });
    }
  }

  private async create(db: EntityManager, auth: AuthContext, dto: StartTaskDto, seeds: string[], options: ReturnType<typeof applyOptionDefaults>): Promise<TaskResponse> {
    await this.credits.lockAccount(db, auth.orgId);
    await this.credits.assertTasksAllowed(db, auth.orgId);
    const plan = PLANS[await this.planOf(db, auth.orgId)];
    if (options.maxPages > plan.maxPagesPerSeed) throw new PlanLimitError('options.maxPages', plan.maxPagesPerSeed);
    const active = await this.tasks.countActive(db, auth.orgId);
    if (active >= plan.concurrentTasks) throw new TaskLimitReachedError(plan.concurrentTasks);

    const shards = planShards(seeds, options.maxPages);
    const required = options.maxPages * seeds.length;
    const taskId = newId();
    await db.insert(ScrapeTask, {
      id: taskId,
      orgId: auth.orgId,
      createdBy: auth.userId,
      apiKeyId: auth.apiKeyId,
      name: dto.name ?? `${dto.platform} · ${shards[0]!.host}${shards.length > 1 ? ` +${shards.length - 1}` : ''}`,
      platform: dto.platform,
      status: 'queued',
      seeds,
      options,
      selectors: dto.selectors ? { item: dto.selectors.item, fields: { ...dto.selectors.fields }, ...(dto.selectors.next ? { next: dto.selectors.next } : {}) } : null,
      filters: dto.filters ? { ...dto.filters } : null,
      leadObjective: dto.leadObjective ?? 'sales',
      pagesQueued: seeds.length,
      creditsReserved: required,
    });
    await this.credits.debit(db, { orgId: auth.orgId, delta: -required, reason: 'task_reservation', taskId, createdBy: auth.userId });
    for (const shard of shards) {
      const shardId = newId();
      await db.insert(TaskShard, { id: shardId, taskId, orgId: auth.orgId, position: shard.position, host: shard.host, seeds: shard.seeds, status: 'queued', budget: shard.budget });
      await this.lifecycle.enqueueShard(db, { id: shardId, taskId, orgId: auth.orgId });
    }
    await this.taskEvents.append(db, taskId, 'task.status', { status: 'queued' });
    const task = await this.tasks.find(db, auth.orgId, taskId);
    return toTaskResponse(task!);
  }

  // The reads below are one statement each: one round trip with their scope (TenantDatabase.reader).
  async get(auth: AuthContext, taskId: string): Promise<TaskResponse> {
    const task = await this.tasks.read(this.tenant.reader({ orgId: auth.orgId }), auth.orgId, taskId);
    if (!task) throw new TaskNotFoundError();
    return toTaskResponse(task);
  }

  async list(auth: AuthContext, query: { limit?: number; cursor?: string; status?: TaskStatus[] }): Promise<Page<TaskResponse>> {
    const limit = query.limit ?? 50;
    const rows = await this.tasks.list(this.tenant.reader({ orgId: auth.orgId }), auth.orgId, { limit, cursor: query.cursor, status: query.status });
    return toPage(rows, limit, (task) => task.id, toTaskResponse);
  }

  async events(auth: AuthContext, taskId: string, sinceSeq: number, limit: number): Promise<StoredTaskEvent[]> {
    const events = await this.taskEvents.listOfOrgTask(this.tenant.reader({ orgId: auth.orgId }), auth.orgId, taskId, sinceSeq, limit);
    if (!events) throw new TaskNotFoundError();
    return events;
  }

  async stop(auth: AuthContext, taskId: string): Promise<TaskResponse> {
    return this.tenant.inOrg(auth.orgId, async (db) => {
      const task = await this.require(db, auth.orgId, taskId, true);
      if (!ACTIVE_TASK_STATUSES.includes(task.status)) throw new TaskStateError('stopped', task.status);
      await this.lifecycle.finish(db, taskId, 'cancelled');
      return toTaskResponse((await this.tasks.find(db, auth.orgId, taskId))!);
    });
  }

  async pause(auth: AuthContext, taskId: string): Promise<TaskResponse> {
    return this.tenant.inOrg(auth.orgId, async (db) => {
      const task = await this.require(db, auth.orgId, taskId, true);
      if (task.status !== 'queued' && task.status !== 'running') throw new TaskStateError('paused', task.status);
      await db.query(`UPDATE scrape_task SET status = 'paused', updated_at = now() WHERE id = $1`, [taskId]);
      // Shards waiting for a worker are paused now; running ones stop fetching and pause themselves.
      await db.query(`UPDATE task_shard SET status = 'paused', updated_at = now() WHERE task_id = $1 AND status = 'queued'`, [taskId]);
      await this.taskEvents.append(db, taskId, 'task.status', { status: 'paused' });
      return toTaskResponse((await this.tasks.find(db, auth.orgId, taskId))!);
    });
  }

  async resume(auth: AuthContext, taskId: string): Promise<TaskResponse> {
    return this.tenant.inOrg(auth.orgId, async (db) => {
      const task = await this.require(db, auth.orgId, taskId, true);
      if (task.status !== 'paused') throw new TaskStateError('resumed', task.status);
      const shards = await db.find(TaskShard, { where: { taskId, status: 'paused' } });
      const running = await db.count(TaskShard, { where: { taskId, status: 'running' } });
      const next: TaskStatus = running > 0 || task.startedAt ? 'running' : 'queued';
      await db.query(`UPDATE scrape_task SET status = $2, updated_at = now() WHERE id = $1`, [taskId, next]);
      for (const shard of shards) await this.lifecycle.enqueueShard(db, shard);
      await this.taskEvents.append(db, taskId, 'task.status', { status: next });
      return toTaskResponse((await this.tasks.find(db, auth.orgId, taskId))!);
    });
  }

  async bulkStop(auth: AuthContext, taskIds: string[]): Promise<{ stopped: string[]; notStopped: Array<{ id: string; reason: string }> }> {
    const stopped: string[] = [];
    const notStopped: Array<{ id: string; reason: string }> = [];
    for (const id of [...new Set(taskIds)]) {
      try {
        await this.stop(auth, id);
        stopped.push(id);
      } catch (error) {
        if (error instanceof AppError) notStopped.push({ id, reason: error.code });
        else throw error;
      }
    }
    return { stopped, notStopped };
  }

  async queueStatus(auth: AuthContext): Promise<{ queued: number; running: number; paused: number; shardsWaiting: number; shardsRunning: number; queueDepth: number }> {
    // Both counts in one statement: one round trip with its scope (TenantDatabase.readOnce).
    const [counts] = await this.tenant.readOnce<{ queued: number; running: number; paused: number; shardsWaiting: number; shardsRunning: number }>(
      { orgId: auth.orgId },
      `SELECT t.queued, t.running, t.paused, s.waiting AS "shardsWaiting", s.running AS "shardsRunning"
         FROM (SELECT count(*) FILTER (WHERE status = 'queued')::int AS queued, count(*) FILTER (WHERE status = 'running')::int AS running,
                      count(*) FILTER (WHERE status = 'paused')::int AS paused
                 FROM scrape_task WHERE org_id = $1 AND status IN ('queued', 'running', 'paused')) t,
              (SELECT count(*) FILTER (WHERE status = 'queued')::int AS waiting, count(*) FILTER (WHERE status = 'running')::int AS running
                 FROM task_shard WHERE org_id = $1 AND status IN ('queued', 'running')) s`,
      [auth.orgId],
    );
    const queueDepth = this.queue.isStarted ? ((await this.queue.instance.getQueue(SHARD_QUEUE))?.readyCount ?? 0) : 0;
    return { ...counts!, queueDepth };
  }

  private async require(db: EntityManager, orgId: string, taskId: string, lock = false): Promise<ScrapeTask> {
    const task = await this.tasks.find(db, orgId, taskId, lock);
    if (!task) throw new TaskNotFoundError();
    return task;
  }

  private async planOf(db: EntityManager, orgId: string): Promise<PlanId> {
    const rows = (await db.query(`SELECT plan FROM credit_account WHERE org_id = $1`, [orgId])) as Array<{ plan: PlanId }>;
    return rows[0]?.plan ?? 'free';
  }
}
