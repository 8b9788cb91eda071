import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { PgBoss, type SendOptions } from 'pg-boss';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../common/config/app-config';
import { InjectConfig } from '../common/config/config.module';

export const QUEUE_SCHEMA = 'pgboss';

/**
 * The pg-boss instance of this process: producers send through it, and the explorer registers
 * handlers on it when this process runs workers. Jobs live in PostgreSQL, so any worker on any
 * machine may take them.
 */
@Injectable()
export class QueueService implements OnApplicationShutdown {
  private readonly logger = new Logger(QueueService.name);
  private readonly boss: PgBoss;
  private started = false;

  constructor(@InjectConfig() config: AppConfig) {
    this.boss = new PgBoss({
      connectionString: config.databaseUrl,
      schema: QUEUE_SCHEMA,
      application_name: 'leadforge-queue',
      max: 4,
      // Jobs of dead workers (missed heartbeats) are noticed within seconds, not a minute.
      monitorIntervalSeconds: 5,
    });
    this.boss.on('error', (error) => this.logger.error({ err: error }, 'queue error'));
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

  async onApplicationShutdown(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, timeout: 20_000, close: true });
  }
}
