import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { QueueService } from '../queue/queue.service';

@Injectable()
export class ReadinessIndicators {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly queue: QueueService,
  ) {}

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
