import { Injectable, Logger, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { PgBoss, type SendOptions } from 'pg-boss';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../common/config/app-config';
import { InjectConfig } from '../common/config/config.module';

export const QUEUE_SCHEMA = 'pgboss';
const ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * The pg-boss instance of this process: producers send through it, and the explorer registers
 * handlers on it when this process runs workers. Jobs live in PostgreSQL, so any worker on any
 * machine may take them.
 */
@Injectable()
export class QueueService implements OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger(QueueService.name);
  private readonly boss: PgBoss;
  private started = false;
  private readonly worked = new Set<string>();
  private readonly shutdownTimeoutMs: number;
  private lastErrorLoggedAt = 0;
  private errorsSinceLog = 0;

  constructor(@InjectConfig() config: AppConfig) {
    this.shutdownTimeoutMs = config.shutdownTimeoutMs;
    this.boss = new PgBoss({
      connectionString: config.databaseUrl,
      schema: QUEUE_SCHEMA,
      application_name: 'leadforge-queue',
      max: 4,
      // An unreachable (not refusing) server must not stall polling or sends indefinitely.
      connectionTimeoutMillis: 5_000,
      // Jobs of dead workers (missed heartbeats) are noticed within seconds, not a minute.
      monitorIntervalSeconds: 5,
    });
    // Without a listener an 'error' (the database gone, say) would be thrown and end the process;
    // pg-boss keeps polling and recovers by itself once the database is back. During an outage every
    // poll fails: one line per ERROR_LOG_INTERVAL_MS, with how many were folded into it.
    this.boss.on('error', (error) => {
      const now = Date.now();
      if (now - this.lastErrorLoggedAt < ERROR_LOG_INTERVAL_MS) {
        this.errorsSinceLog += 1;
        return;
      }
      this.logger.error({ err: error, alsoSinceLastLine: this.errorsSinceLog }, 'queue error');
      this.lastErrorLoggedAt = now;
      this.errorsSinceLog = 0;
    });
  }

  get instance(): PgBoss {
    return this.boss;
  }

  get isStarted(): boolean {
    return this.started;
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    this.started = true;
  }

  /** Records a queue this process works (boss.work), so that `stopTakingJobs` can end it. */
  markWorked(name: string): void {
    this.worked.add(name);
  }

  /** First step of a shutdown: fetch no more jobs; the running ones go on (the boss's stop waits for them). */
  async stopTakingJobs(): Promise<void> {
    const names = [...this.worked];
    this.worked.clear();
    await Promise.all(names.map((name) => this.boss.offWork(name, { wait: false })));
  }

  async ensureQueue(name: string, options: Parameters<PgBoss['createQueue']>[1] = {}): Promise<void> {
    const existing = await this.boss.getQueue(name);
    if (existing) await this.boss.updateQueue(name, options);
    else await this.boss.createQueue(name, options);
  }

  async send<T extends object>(queue: string, data: T, options: SendOptions = {}): Promise<string | null> {
    return this.boss.send(queue, data, options);
  }

  /** Sends inside the caller's transaction: the job exists exactly when the transaction commits. */
  async sendInTransaction<T extends object>(db: EntityManager, queue: string, data: T, options: SendOptions = {}): Promise<string | null> {
    const runner = db.queryRunner;
    if (!runner?.isTransactionActive) throw new Error('sendInTransaction needs a transaction');
    return this.boss.send(queue, data, {
      ...options,
      db: { executeSql: async (text: string, values?: unknown[]) => ({ rows: (await runner.query(text, values, true)).records as unknown[] }) },
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.stopTakingJobs();
  }

  /** Waits for running handlers (shards release themselves at a checkpoint) up to SHUTDOWN_TIMEOUT_MS. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, timeout: this.shutdownTimeoutMs, close: true });
  }
}
