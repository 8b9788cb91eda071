import { ApiKey } from '../api-keys/api-key.entity';
import { AuditLog } from '../audit/audit-log.entity';
import { AuthToken } from '../auth/auth-token.entity';
import { RefreshToken } from '../auth/refresh-token.entity';
import { AuthSession } from '../auth/session.entity';
import { BillingSubscription } from '../billing/billing-subscription.entity';
import { CreditAccount } from '../billing/credit-account.entity';
import { CreditLedgerEntry } from '../billing/credit-ledger-entry.entity';
import { StripeEvent } from '../billing/stripe-event.entity';
import { IdempotencyRecord } from '../common/idempotency/idempotency-record.entity';
import { RateLimitCounter } from '../common/throttling/rate-limit-counter.entity';
import { Lead } from '../leads/lead.entity';
import { OptOutRequest } from '../legal/opt-out-request.entity';
import { RetentionPolicy } from '../legal/retention-policy.entity';
import { Suppression } from '../legal/suppression.entity';
import { LeadSearchTerm } from '../leads/lead-search-term.entity';
import { Invitation } from '../orgs/invitation.entity';
import { Membership } from '../orgs/membership.entity';
import { Organization } from '../orgs/organization.entity';
import { ScrapeTask } from '../scraper/tasks/scrape-task.entity';
import { TaskEvent } from '../scraper/tasks/task-event.entity';
import { TaskShard } from '../scraper/tasks/task-shard.entity';
import { TaskPage } from '../scraper/tasks/task-page.entity';
import { User } from '../users/user.entity';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity';
import { WebhookDeliveryAttempt } from '../webhooks/webhook-delivery-attempt.entity';
import { WebhookEndpoint } from '../webhooks/webhook-endpoint.entity';

/**
 * Every TypeORM entity of the application. Listed explicitly (no globs) so that the same list
 * serves the compiled app, the tests and the entity/migration drift check.
 */
export const ENTITIES = [RateLimitCounter, Organization, User, Membership, Invitation, AuthSession, RefreshToken, AuthToken, ApiKey, AuditLog,
  ScrapeTask, TaskShard, TaskPage, TaskEvent, CreditAccount, CreditLedgerEntry, IdempotencyRecord, Lead, LeadSearchTerm,
  BillingSubscription, StripeEvent, WebhookEndpoint, WebhookDelivery, WebhookDeliveryAttempt,
  Suppression, OptOutRequest, RetentionPolicy];
