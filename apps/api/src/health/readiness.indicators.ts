import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { QueueService } from '../queue/queue.service';
import { ShutdownState } from './shutdown-state';

@Injectable()
export class ReadinessIndicators {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly queue: QueueService,
    private readonly shutdown: ShutdownState,
  ) {}

  /** Down from the moment a shutdown begins, so that traffic drains before the listener closes. */
  accepting(): HealthIndicatorResult {
    const check = this.indicators.check('accepting');
    return this.shutdown.isDraining ? check.down() : check.up();
  }

  async database(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('database');
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2_000)),
      ]);
      return check.up();
    } catch {
      return check.down();
    }
  }

  async migrations(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('migrations');
    try {
      const pending = await this.dataSource.showMigrations();
      return pending ? check.down() : check.up();
    } catch {
      return check.down();
    }
  }

  queueStarted(): HealthIndicatorResult {
    const check = this.indicators.check('queue');
    return this.queue.isStarted ? check.up() : check.down();
  }
}
