import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Job } from 'pg-boss';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../common/config/app-config';
import { InjectConfig } from '../common/config/config.module';
import { newId } from '../common/ids';
import { TenantDatabase } from '../database/tenant-database';
import { JobHandler } from '../queue/job-handler.decorator';
import { QueueService } from '../queue/queue.service';
import { PgNotificationListener } from '../realtime/pg-notification-listener';
import { toTaskResponse } from '../scraper/dto/task.response';
import { ScrapeTask } from '../scraper/tasks/scrape-task.entity';
import { TaskEvent } from '../scraper/tasks/task-event.entity';
import { TASK_EVENTS_CHANNEL } from '../scraper/tasks/task-events.service';
import type { WebhookEventType } from './webhook-endpoint.entity';
import { leadsCreatedEnvelope, taskEndedEnvelope, type WebhookEnvelope, webhookEventTypeOf } from './webhook-events';
import { CLEANUP_QUEUE, DELIVER_QUEUE, type DeliverJob, FANOUT_QUEUE, type FanoutJob, fanoutJobId, SWEEP_QUEUE } from './webhook-queues';
import { WebhooksRepository } from './webhooks.repository';

/** Task events that may produce a webhook. */
const SOURCE_EVENT_TYPES = new Set(['task.status', 'task.leads']);
/** How far back the sweep looks for events nobody turned into deliveries. */
const SWEEP_WINDOW_SECONDS = 15 * 60;
/** Events younger than this are left to the live path. */
const SWEEP_SETTLE_SECONDS = 10;
const SWEEP_BATCH = 500;
export const DELIVERY_RETENTION_DAYS = 30;

/**
 * Turns task events into webhook deliveries without the scraper knowing about webhooks: the
 * scraper stores every event and announces it on `leadforge_task_events` (on commit); each
 * worker process listens and queues a fan-out job per relevant event (same job id everywhere, so
 * once), and a sweep every minute catches events announced while no process listened. The
 * fan-out itself is idempotent: one delivery per endpoint and source event.
 */
@Injectable()
export class WebhookFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookFeed.name);
  private readonly listener: PgNotificationListener | undefined;

  constructor(
    private readonly tenant: TenantDatabase,
    private readonly webhooks: WebhooksRepository,
    private readonly queue: QueueService,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    if (config.workersInProcess && config.databaseUrl) {
      this.listener = new PgNotificationListener({
        connectionString: config.databaseUrl,
        channels: [TASK_EVENTS_CHANNEL],
        onNotification: (_, payload) => this.onTaskEvent(payload),
        onReconnect: () => void this.requestSweep(),
      });
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
  }

  @JobHandler({ queue: FANOUT_QUEUE, retryLimit: 5, retryDelaySeconds: 5, retryBackoff: true, pollingIntervalSeconds: 0.5, batchSize: 5, localConcurrency: 2 })
  async fanOut(job: Job<FanoutJob>): Promise<void> {
    const { orgId, taskId, seq } = job.data;
    await this.tenant.inOrg(orgId, async (db) => {
      const event = await db.findOne(TaskEvent, { where: { taskId, seq, orgId } });
      if (!event) return;
      const type = webhookEventTypeOf(event.type, event.payload);
      if (!type) return;
      const endpoints = await this.webhooks.subscribedEndpoints(db, orgId, type, event.createdAt);
      if (endpoints.length === 0) return;
      const envelope = await this.envelope(db, type, event);
      if (!envelope) return;
      for (const endpoint of endpoints) {
        const id = newId();
        const created = await this.webhooks.insertDeliveryOnce(db, { id, orgId, endpointId: endpoint.id, eventType: type, sourceKey: `${taskId}:${seq}`, payload: { ...envelope } });
        if (created) await this.queue.sendInTransaction(db, DELIVER_QUEUE, { orgId, deliveryId: id, attempt: 1 } satisfies DeliverJob);
      }
    });
  }

  @JobHandler({ queue: SWEEP_QUEUE, schedule: '* * * * *', retryLimit: 0, expireInSeconds: 60 })
  async sweep(): Promise<void> {
    const missed = await this.tenant.asSystem((db) => this.webhooks.missedTaskEvents(db, { fromSeconds: SWEEP_WINDOW_SECONDS, settleSeconds: SWEEP_SETTLE_SECONDS }, SWEEP_BATCH));
    for (const event of missed) await this.queue.send(FANOUT_QUEUE, event satisfies FanoutJob, { id: fanoutJobId(event.taskId, event.seq) });
    if (missed.length > 0) this.logger.log({ count: missed.length }, 'queued webhook fan-out for task events nobody had picked up');
  }

  @JobHandler({ queue: CLEANUP_QUEUE, schedule: '17 3 * * *', retryLimit: 2 })
  async cleanup(): Promise<void> {
    const before = new Date(Date.now() - DELIVERY_RETENTION_DAYS * 86_400_000);
    const deleted = await this.tenant.asSystem((db) => this.webhooks.deleteDeliveriesBefore(db, before));
    if (deleted > 0) this.logger.log({ deleted }, 'deleted old webhook deliveries');
  }

  private async envelope(db: EntityManager, type: WebhookEventType, event: TaskEvent): Promise<WebhookEnvelope | null> {
    const timestamp = event.createdAt.toISOString();
    if (type === 'leads.created') {
      const leadsUrl = `${this.config.publicUrl}/api/v1/leads?taskId=${encodeURIComponent(event.taskId)}`;
      return leadsCreatedEnvelope(event.taskId, timestamp, event.payload, leadsUrl);
    }
    const task = await db.findOne(ScrapeTask, { where: { id: event.taskId, orgId: event.orgId } });
    return task ? taskEndedEnvelope(type, timestamp, toTaskResponse(task)) : null;
  }

  private onTaskEvent(payload: string): void {
    let event: { taskId?: unknown; orgId?: unknown; seq?: unknown; type?: unknown };
    try {
      event = JSON.parse(payload) as typeof event;
    } catch {
      return;
    }
    if (typeof event.type !== 'string' || !SOURCE_EVENT_TYPES.has(event.type)) return;
    if (typeof event.taskId !== 'string' || typeof event.orgId !== 'string' || typeof event.seq !== 'number') return;
    // Until this process's queue has started, the sweep picks the event up.
    if (!this.queue.isStarted) return;
    const job: FanoutJob = { orgId: event.orgId, taskId: event.taskId, seq: event.seq };
    this.queue.send(FANOUT_QUEUE, job, { id: fanoutJobId(job.taskId, job.seq) }).catch((error: unknown) => {
      this.logger.warn({ err: error, taskId: job.taskId, seq: job.seq }, 'could not queue a webhook fan-out; the sweep will');
    });
  }

  private async requestSweep(): Promise<void> {
    if (!this.queue.isStarted) return;
    await this.queue.send(SWEEP_QUEUE, {}).catch((error: unknown) => this.logger.warn({ err: error }, 'could not queue a webhook sweep'));
  }
}
