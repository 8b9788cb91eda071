import { SetMetadata } from '@nestjs/common';

export const JOB_HANDLER = Symbol('JOB_HANDLER');

export interface JobHandlerOptions {
  /** Queue name, e.g. `email.send`. */
  queue: string;
  /** Cron expression (UTC) when the job runs on a schedule. */
  schedule?: string;
  /** Jobs fetched per poll and handled concurrently by one process. */
  batchSize?: number;
  /** Jobs of this queue one process handles at the same time. */
  localConcurrency?: number;
  pollingIntervalSeconds?: number;
  retryLimit?: number;
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  expireInSeconds?: number;
  /** With a heartbeat, a job whose worker died is retried after about this long, not after expireInSeconds. */
  heartbeatSeconds?: number;
}

/**
 * Marks a provider method as the handler of a queue. Producers only send to the queue's name;
 * they never import the handler (the queue explorer finds handlers at start-up).
 */
export const JobHandler = (options: JobHandlerOptions): MethodDecorator => SetMetadata(JOB_HANDLER, options);
