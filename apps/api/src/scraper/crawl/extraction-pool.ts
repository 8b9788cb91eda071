import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ProcessedPage, ProcessPageInput } from './page-processor';

export type ExtractionInput = Omit<ProcessPageInput, '$'> & { html: string };

export interface ExtractionJob {
  id: number;
  html: string;
  input: ExtractionInput;
}

export type ExtractionReply = { id: number; result: ProcessedPage; error?: undefined } | { id: number; error: string; result?: undefined };

interface PoolWorker {
  worker: Worker;
  pending: Map<number, { resolve: (page: ProcessedPage) => void; reject: (error: Error) => void }>;
}

/**
 * Parsing and extraction are the CPU-heavy part of a crawl; this pool runs them on worker threads
 * so the crawler's thread stays free for I/O and every core is used. One pool per process, shared
 * by all shards; its threads do not keep the process alive.
 */
export class ExtractionPool {
  private readonly workers: PoolWorker[] = [];
  private nextId = 1;

  constructor(private readonly size: number) {}

  process(input: ExtractionInput): Promise<ProcessedPage> {
    const slot = this.leastBusy();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      const job: ExtractionJob = { id, html: input.html, input };
      slot.worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((slot) => slot.worker.terminate()));
  }

  private leastBusy(): PoolWorker {
    while (this.workers.length < this.size) this.workers.push(this.spawn());
    return this.workers.reduce((best, slot) => (slot.pending.size < best.pending.size ? slot : best));
  }

  private spawn(): PoolWorker {
    // Compiled, the worker is a .js file; from TypeScript sources (tests, tsx) it runs through tsx.
    const source = extname(__filename) === '.ts';
    const worker = new Worker(join(__dirname, `extraction.worker${source ? '.ts' : '.js'}`), source ? { execArgv: ['--import', 'tsx'] } : {});
    worker.unref();
    const slot: PoolWorker = { worker, pending: new Map() };
    worker.on('message', (reply: ExtractionReply) => {
      const waiter = slot.pending.get(reply.id);
      if (!waiter) return;
      slot.pending.delete(reply.id);
      if (reply.error !== undefined) waiter.reject(new Error(reply.error));
      else waiter.resolve(reply.result);
    });
    const fail = (error: Error): void => {
      for (const waiter of slot.pending.values()) waiter.reject(error);
      slot.pending.clear();
      const index = this.workers.indexOf(slot);
      if (index >= 0) this.workers.splice(index, 1);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (slot.pending.size > 0) fail(new Error(`extraction worker exited with code ${code}`));
      else fail(new Error('extraction worker exited'));
    });
    return slot;
  }
}

let shared: ExtractionPool | undefined;

/** The process-wide pool: one thread per core (at least one, at most four). */
export function sharedExtractionPool(): ExtractionPool {
  shared ??= new ExtractionPool(Math.max(1, Math.min(4, availableParallelism())));
  return shared;
}
