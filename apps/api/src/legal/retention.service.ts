import { Injectable, Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { AuditService } from '../audit/audit.service';
import type { AuthContext, ClientInfo } from '../common/auth/auth-context';
import { TenantDatabase } from '../database/tenant-database';
import { JobHandler } from '../queue/job-handler.decorator';
import {
  LEADS_DAYS,
  SOFT_DELETED_LEADS_DAYS,
  TASK_EVENTS_DAYS,
  type RetentionCleanupResponse,
  type RetentionPolicyBody,
  type RetentionPolicyResponse,
  type RetentionStatsResponse,
} from './dto/retention.dto';
import { LegalRepository } from './legal.repository';
import type { RetentionTrigger } from './retention-policy.entity';
import { RetentionRepository, type Cutoffs, type LeadBatch, type PolicyRow } from './retention.repository';

export const RETENTION_QUEUE = 'legal.retention';
/** Rows per DELETE statement; each statement is its own transaction, so locks last one batch. */
export const RETENTION_BATCH = 5_000;

const DAY_MS = 86_400_000;

export interface CleanupResult {
  leadsDeleted: number;
  softDeletedLeadsPurged: number;
  taskEventsDeleted: number;
  batches: number;
  longestStatementMs: number;
  startedAt: Date;
  finishedAt: Date;
}

/**
 * Per-org retention (DESIGN.md §8, docs/legal.md): leads and task events older than the org's
 * policy, and leads soft-deleted more than 30 days ago, are deleted by a daily job in bounded
 * batches (short transactions, no long locks) and on demand.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly tenant: TenantDatabase,
    private readonly retention: RetentionRepository,
    private readonly legal: LegalRepository,
    private readonly audit: AuditService,
  ) {}

  async getPolicy(auth: AuthContext): Promise<RetentionPolicyResponse> {
    const row = await this.tenant.inOrg(auth.orgId, (db) => this.retention.policy(db, auth.orgId));
    return toPolicy(row);
  }

  async setPolicy(auth: AuthContext, body: RetentionPolicyBody, client: ClientInfo): Promise<RetentionPolicyResponse> {
    return this.tenant.inOrg(auth.orgId, async (db) => {
      const before = toPolicy(await this.retention.policy(db, auth.orgId));
      await this.retention.setPolicy(db, auth.orgId, body.leadsDays, body.taskEventsDays, auth.userId);
      await this.audit.record(db, {
        action: 'legal.retention.policy_updated',
        orgId: auth.orgId,
        actorUserId: auth.userId,
        actorApiKeyId: auth.apiKeyId,
        target: { type: 'organization', id: auth.orgId },
        client,
        metadata: { leadsDays: body.leadsDays, taskEventsDays: body.taskEventsDays, previousLeadsDays: before.leadsDays, previousTaskEventsDays: before.taskEventsDays },
      });
      return toPolicy(await this.retention.policy(db, auth.orgId));
    });
  }

  async stats(auth: AuthContext): Promise<RetentionStatsResponse> {
    return this.tenant.inOrg(auth.orgId, async (db) => {
      const row = await this.retention.policy(db, auth.orgId);
      const policy = toPolicy(row);
      const counts = await this.retention.stats(db, auth.orgId, cutoffsOf(policy, new Date()));
      return {
        total: counts.leads_total,
        expiringIn7Days: counts.leads_expiring,
        expiredAwaitingPurge: counts.leads_expired,
        leads: { total: counts.leads_total, expiringIn7Days: counts.leads_expiring, expiredAwaitingPurge: counts.leads_expired, softDeletedAwaitingPurge: counts.leads_soft_expired },
        taskEvents: { total: counts.events_total, expiringIn7Days: counts.events_expiring, expiredAwaitingPurge: counts.events_expired },
        policy,
        lastRunAt: row?.last_run_at ? new Date(row.last_run_at).toISOString() : null,
        lastRunTrigger: row?.last_run_trigger ?? null,
        lastDeletedCount: row ? row.last_leads_deleted + row.last_task_events_deleted : 0,
      };
    });
  }

  /** POST legal/retention/cleanup: the caller's org, now. */
  async cleanupNow(auth: AuthContext, client: ClientInfo): Promise<RetentionCleanupResponse> {
    const result = await this.cleanupOrg(auth.orgId, 'manual');
    await this.audit.recordNow({
      action: 'legal.retention.ran',
      orgId: auth.orgId,
      actorUserId: auth.userId,
      actorApiKeyId: auth.apiKeyId,
      client,
      metadata: runMetadata('manual', result),
    });
    return {
      leadsDeleted: result.leadsDeleted,
      softDeletedLeadsPurged: result.softDeletedLeadsPurged,
      taskEventsDeleted: result.taskEventsDeleted,
      deletedCount: result.leadsDeleted + result.taskEventsDeleted,
      batches: result.batches,
      longestStatementMs: Math.round(result.longestStatementMs * 10) / 10,
      startedAt: result.startedAt.toISOString(),
      finishedAt: result.finishedAt.toISOString(),
    };
  }

  /** Every org, one after the other; an org's failure does not stop the others (pg-boss retries the job). */
  @JobHandler({ queue: RETENTION_QUEUE, schedule: '23 2 * * *', retryLimit: 2, retryDelaySeconds: 600 })
  async runScheduled(): Promise<void> {
    const orgIds = await this.tenant.asSystem((db) => this.legal.orgIds(db));
    let failed = 0;
    for (const orgId of orgIds) {
      try {
        const result = await this.cleanupOrg(orgId, 'schedule');
        if (result.leadsDeleted + result.taskEventsDeleted > 0) {
          await this.audit.recordNow({ action: 'legal.retention.ran', orgId, metadata: runMetadata('schedule', result) });
        }
      } catch (error) {
        failed += 1;
        this.logger.error({ err: error, orgId }, 'retention cleanup of an organization failed');
      }
    }
    await this.tenant.asSystem((db) => this.legal.deleteSettledOptOutRequests(db));
    if (failed > 0) throw new Error(`retention cleanup failed for ${failed} of ${orgIds.length} organizations`);
  }

  /** Deletes what the org's policy lets go, batch by batch, each batch a transaction of its own. */
  async cleanupOrg(orgId: string, trigger: RetentionTrigger): Promise<CleanupResult> {
    const startedAt = new Date();
    const policy = toPolicy(await this.tenant.inOrg(orgId, (db) => this.retention.policy(db, orgId)));
    const cutoffs = cutoffsOf(policy, startedAt);
    const result: CleanupResult = { leadsDeleted: 0, softDeletedLeadsPurged: 0, taskEventsDeleted: 0, batches: 0, longestStatementMs: 0, startedAt, finishedAt: startedAt };
    const timed = async <T>(work: () => Promise<T>): Promise<T> => {
      const begin = performance.now();
      const value = await work();
      result.longestStatementMs = Math.max(result.longestStatementMs, performance.now() - begin);
      result.batches += 1;
      return value;
    };

    let after: { createdAt: string; id: string } | null = null;
    for (;;) {
      const position: { createdAt: string; id: string } | null = after;
      const batch: LeadBatch = await timed(() => this.tenant.inOrg(orgId, (db) => this.retention.deleteLeadBatch(db, orgId, cutoffs, position, RETENTION_BATCH)));
      result.leadsDeleted += batch.deleted;
      result.softDeletedLeadsPurged += batch.softDeleted;
      if (batch.scanned < RETENTION_BATCH || !batch.lastCreatedAt || !batch.lastId) break;
      after = { createdAt: batch.lastCreatedAt, id: batch.lastId };
    }
    for (;;) {
      const deleted = await timed(() => this.tenant.inOrg(orgId, (db) => this.retention.deleteTaskEventBatch(db, orgId, cutoffs.taskEvents, RETENTION_BATCH)));
      result.taskEventsDeleted += deleted;
      if (deleted < RETENTION_BATCH) break;
    }

    result.finishedAt = new Date();
    await this.tenant.inOrg(orgId, (db) =>
      this.retention.recordRun(db, orgId, result.finishedAt, trigger, result.leadsDeleted, result.taskEventsDeleted),
    );
    return result;
  }
}

function toPolicy(row: PolicyRow | null): RetentionPolicyResponse {
  return {
    leadsDays: row?.leads_days ?? LEADS_DAYS.default,
    taskEventsDays: row?.task_events_days ?? TASK_EVENTS_DAYS.default,
    softDeletedLeadsDays: SOFT_DELETED_LEADS_DAYS,
    updatedAt: row?.updated_at ? new Date(row.updated_at).toISOString() : null,
  };
}

function cutoffsOf(policy: RetentionPolicyBody, now: Date): Cutoffs {
  return {
    leads: new Date(now.getTime() - policy.leadsDays * DAY_MS),
    softDeleted: new Date(now.getTime() - SOFT_DELETED_LEADS_DAYS * DAY_MS),
    taskEvents: new Date(now.getTime() - policy.taskEventsDays * DAY_MS),
  };
}

function runMetadata(trigger: RetentionTrigger, result: CleanupResult): Record<string, string | number> {
  return {
    trigger,
    leadsDeleted: result.leadsDeleted,
    softDeletedLeadsPurged: result.softDeletedLeadsPurged,
    taskEventsDeleted: result.taskEventsDeleted,
    batches: result.batches,
  };
}
