import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AdminModule } from './admin/admin.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { BillingModule } from './billing/billing.module';
import type { AppConfig } from './common/config/app-config';
import { ConfigModule } from './common/config/config.module';
import { IdempotencyModule } from './common/idempotency/idempotency.module';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter';
import { buildLoggerOptions } from './common/logging/logger.options';
import { MetricsModule } from './common/metrics/metrics.module';
import { ThrottlingModule } from './common/throttling/throttling.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { LeadsModule } from './leads/leads.module';
import { LeadsApiModule } from './leads/leads-api.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { ExportModule } from './export/export.module';
import { LegalModule } from './legal/legal.module';
import { MailModule } from './mail/mail.module';
import { OrgsModule } from './orgs/orgs.module';
import { QueueModule } from './queue/queue.module';
import { RealtimeModule } from './realtime/realtime.module';
import { ScraperModule } from './scraper/scraper.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** The HTTP API (and, when `WORKERS_IN_PROCESS`, the workers too). */
@Module({})
export class AppModule {
  /** `extraModules` lets end-to-end tests mount fixture endpoints beside the real ones. */
  static forRoot(config: AppConfig, extraModules: Array<Type | DynamicModule> = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(buildLoggerOptions(config)),
        DatabaseModule,
        QueueModule.forRoot({ runWorkers: config.workersInProcess }),
        ThrottlingModule,
        HealthModule,
        MetricsModule,
        AuditModule,
        MailModule,
        AuthModule,
        OrgsModule,
        ApiKeysModule,
        AdminModule,
        IdempotencyModule,
        BillingModule,
        ScraperModule,
        LeadsModule,
        LeadsApiModule,
        AnalyticsModule,
        ExportModule,
        RealtimeModule,
        WebhooksModule,
        LegalModule,
        ...extraModules,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}
