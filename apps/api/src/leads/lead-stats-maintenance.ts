import { Injectable } from '@nestjs/common';
import { TenantDatabase } from '../database/tenant-database';
import { JobHandler } from '../queue/job-handler.decorator';

/** Orgs whose analytics rollups hold this many more rows than twice their groups are folded. */
const FOLD_THRESHOLD = 1_000;

@Injectable()
export class LeadStatsMaintenance {
  constructor(private readonly tenant: TenantDatabase) {}

  /**
   * The lead triggers append one delta row per group and statement to lead_stat_dim/lead_stat_time;
   * folding them keeps analytics reading a few thousand rows. Each org in its own transaction.
   */
  @JobHandler({ queue: 'maintenance.lead-stats', schedule: '*/10 * * * *', retryLimit: 1 })
  async fold(): Promise<void> {
    const orgs: Array<{ org_id: string }> = await this.tenant.asSystem((db) =>
      db.query(
        `SELECT org_id FROM lead_stat_dim s GROUP BY org_id
         HAVING count(*) > 2 * count(DISTINCT (s.status, s.platform, s.business_type, s.job_level, s.confidence_bucket, s.has_email, s.has_phone)) + $1
          UNION SELECT org_id FROM lead_stat_time GROUP BY org_id HAVING count(*) > 2 * count(DISTINCT bucket) + $1`,
        [FOLD_THRESHOLD],
      ),
    );
    for (const { org_id: orgId } of orgs) await this.tenant.inOrg(orgId, (db) => db.query('SELECT lead_stat_compact($1)', [orgId]));
  }
}
