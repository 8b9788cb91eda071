import { Injectable, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { DataSource } from 'typeorm';
import { JobHandler } from '../../queue/job-handler.decorator';
import { PostgresThrottlerStorage } from './postgres-throttler.storage';

/** Default budget per client IP; sensitive endpoints tighten it with @Throttle. */
export const DEFAULT_RATE_LIMIT = { ttl: 60_000, limit: 300 };

@Injectable()
export class RateLimitMaintenance {
  constructor(private readonly storage: PostgresThrottlerStorage) {}

  @JobHandler({ queue: 'maintenance.rate-limits', schedule: '*/10 * * * *', retryLimit: 1 })
  async purgeExpiredCounters(): Promise<void> {
    await this.storage.purgeExpired();
  }
}

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => ({
        throttlers: [{ name: 'default', ...DEFAULT_RATE_LIMIT }],
        storage: new PostgresThrottlerStorage(dataSource),
      }),
    }),
  ],
  providers: [PostgresThrottlerStorage, RateLimitMaintenance, { provide: APP_GUARD, useClass: ThrottlerGuard }],
  exports: [PostgresThrottlerStorage],
})
export class ThrottlingModule {}
