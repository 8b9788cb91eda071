import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AppConfig } from '../common/config/app-config';
import { InjectConfig } from '../common/config/config.module';
import { TenantDatabase } from '../database/tenant-database';
import { JobHandler } from '../queue/job-handler.decorator';
import { QueueService } from '../queue/queue.service';
import { LegalRepository } from './legal.repository';
import { SuppressionHasher, type SuppressionKind } from './suppression-hash';

export const PURGE_QUEUE = 'legal.opt-out.purge';
/** Leads read (and at most deleted) per statement, each in its own short transaction. */
export const PURGE_BATCH = 5_000;

/** A suppression to apply to stored leads: its id and hash (hex), never the value. */
export interface PurgeJob {
  suppressionId: string;
  kind: SuppressionKind;
  hash: string;
}

export interface PurgeResult {
  scanned: number;
  deletedByOrg: Map<string, number>;
}

/**
 * Applies an opt-out to what is already stored: every lead of every org that matches it is
 * hard-deleted. The table holds only the keyed hash, so matching runs the ingest's own probes
 * (SuppressionHasher.probes over email, profile links, company domain and website) over each lead:
 * one keyset pass over all leads by id, 5,000 rows a batch, each read and each delete a short
 * system-scope transaction. Exact by construction: a lead is purged iff ingest would skip it.
 */
@Injectable()
export class SuppressionPurgeService {
  private readonly logger = new Logger(SuppressionPurgeService.name);
  private readonly hasher: SuppressionHasher;

  constructor(
    private readonly tenant: TenantDatabase,
    private readonly repository: LegalRepository,
    private readonly audit: AuditService,
    private readonly queue: QueueService,
    @InjectConfig() config: Pick<AppConfig, 'suppressionHashKey'>,
  ) {
    this.hasher = new SuppressionHasher(config.suppressionHashKey);
  }

  /** Queues the purge in the caller's transaction: it exists iff the suppression commits. */
  async schedule(db: EntityManager, job: PurgeJob): Promise<void> {
    await this.queue.sendInTransaction(db, PURGE_QUEUE, job);
  }

  @JobHandler({ queue: PURGE_QUEUE, retryLimit: 5, retryDelaySeconds: 30, retryBackoff: true, localConcurrency: 1 })
  async handle(job: Job<PurgeJob>): Promise<void> {
    const { suppressionId, kind, hash } = job.data;
    // Withdrawn before the job ran: nothing to apply.
    if (!(await this.tenant.asSystem((db) => this.repository.suppressionExists(db, suppressionId)))) return;
    const result = await this.purge(kind, Buffer.from(hash, 'hex'));
    for (const [orgId, deleted] of result.deletedByOrg) {
      await this.audit.recordNow({
        action: 'legal.opt_out.purged',
        orgId,
        target: { type: 'suppression', id: suppressionId },
        metadata: { kind, leadsDeleted: deleted },
      });
    }
    this.logger.log({ suppressionId, kind, scanned: result.scanned, orgs: result.deletedByOrg.size }, 'opt-out applied to stored leads');
  }

  /** Deletes every stored lead (all orgs) matching the hash; counts by org. */
  async purge(kind: SuppressionKind, hash: Buffer): Promise<PurgeResult> {
    const deletedByOrg = new Map<string, number>();
    let scanned = 0;
    let afterId: string | null = null;
    for (;;) {
      const page = await this.tenant.asSystem((db) => this.repository.purgeCandidates(db, afterId, PURGE_BATCH));
      if (page.length === 0) break;
      scanned += page.length;
      afterId = page[page.length - 1]!.id;
      const matching = page.filter((lead) =>
        this.hasher
          .probes({
            email: lead.email,
            profileUrl: lead.profile_url,
            profileLinks: Object.values(lead.socials ?? {}),
            companyDomain: lead.company_domain,
            website: lead.website,
          })
          .some((probe) => probe.kind === kind && probe.hash.equals(hash)),
      );
      if (matching.length > 0) {
        const deleted = await this.tenant.asSystem((db) => this.repository.hardDeleteLeads(db, matching.map((lead) => lead.id)));
        for (const row of deleted) deletedByOrg.set(row.org_id, (deletedByOrg.get(row.org_id) ?? 0) + 1);
      }
      if (page.length < PURGE_BATCH) break;
    }
    return { scanned, deletedByOrg };
  }
}
