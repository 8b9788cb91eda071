import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhookFeed } from './webhook-feed.service';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/** Outbound webhooks: endpoints, signed deliveries with retries, fed from stored task events. */
@Module({
  imports: [AuditModule],
  controllers: [WebhooksController],
  providers: [WebhooksRepository, WebhooksService, WebhookDispatcher, WebhookFeed],
})
export class WebhooksModule {}
