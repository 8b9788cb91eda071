import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Job, JobWithMetadata } from 'pg-boss';
import { jobDuration, jobWait } from '../common/metrics/metrics';
import { JOB_HANDLER, type JobHandlerOptions } from './job-handler.decorator';
import { QueueService } from './queue.service';

export const QUEUE_MODULE_OPTIONS = Symbol('QUEUE_MODULE_OPTIONS');

export interface QueueModuleOptions {
  /** Whether this process takes jobs (worker processes, and the API under `npm start`). */
  runWorkers: boolean;
}

interface DiscoveredHandler {
  options: JobHandlerOptions;
  handle: (job: Job<object>) => Promise<unknown>;
  owner: string;
}

/** Finds every @JobHandler, creates its queue and schedule, and (when this process works) subscribes it. */
@Injectable()
export class QueueExplorer implements OnApplicationBootstrap {
  private readonly logger = new Logger('Queue');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly queue: QueueService,
    @Inject(QUEUE_MODULE_OPTIONS) private readonly options: QueueModuleOptions,
  ) {}

  discover(): DiscoveredHandler[] {
    const handlers: DiscoveredHandler[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[methodName];
        if (typeof method !== 'function') continue;
        const options = this.reflector.get<JobHandlerOptions | undefined>(JOB_HANDLER, method);
        if (!options) continue;
        handlers.push({
          options,
          handle: (job) => (method as (job: Job<object>) => Promise<unknown>).call(instance, job),
          owner: `${wrapper.name}.${methodName}`,
        });
      }
    }
    const names = handlers.map((handler) => handler.options.queue);
    const duplicate = names.find((name, index) => names.indexOf(name) !== index);
    if (duplicate) throw new Error(`Two job handlers for queue "${duplicate}"`);
    return handlers;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.start();
    const boss = this.queue.instance;
    for (const handler of this.discover()) {
      const { options } = handler;
      await this.queue.ensureQueue(options.queue, {
        retryLimit: options.retryLimit ?? 3,
        retryDelay: options.retryDelaySeconds ?? 5,
        retryBackoff: options.retryBackoff ?? true,
        expireInSeconds: options.expireInSeconds ?? 15 * 60,
        ...(options.heartbeatSeconds ? { heartbeatSeconds: options.heartbeatSeconds } : {}),
      });
      if (options.schedule) await boss.schedule(options.queue, options.schedule, {}, { tz: 'UTC' });
      if (!this.options.runWorkers) continue;
      await boss.work(
        options.queue,
        {
          batchSize: options.batchSize ?? 1,
          pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
          localConcurrency: options.localConcurrency ?? 1,
          includeMetadata: true,
        },
        async (jobs: JobWithMetadata<object>[]) => {
          for (const job of jobs) {
            const runnableAt = Math.max(new Date(job.startAfter).getTime(), new Date(job.createdOn).getTime());
            jobWait.observe({ queue: options.queue }, Math.max(0, new Date(job.startedOn).getTime() - runnableAt) / 1000);
            const endTimer = jobDuration.startTimer({ queue: options.queue });
            try {
              await handler.handle(job);
              endTimer({ outcome: 'completed' });
            } catch (error) {
              endTimer({ outcome: 'failed' });
              this.logger.warn({ err: error, queue: options.queue, jobId: job.id, retryCount: job.retryCount }, 'job failed');
              throw error;
            }
          }
        },
      );
      this.queue.markWorked(options.queue);
      this.logger.log(`working ${options.queue} (${handler.owner})`);
    }
  }
}
