import { Injectable } from '@nestjs/common';
import { PLAN_IDS, type PlanId } from '../billing/plans';
import { TenantDatabase } from '../database/tenant-database';
import { TASK_STATUSES, type TaskStatus } from '../scraper/tasks/scrape-task.entity';
import { AdminStatsRepository } from './admin-stats.repository';
import type { AdminStatsResponse } from './dto/admin-stats.dto';

/** The platform administrators' overview: users, organizations, tasks, leads, credits and queues. */
@Injectable()
export class AdminStatsService {
  constructor(
    private readonly tenant: TenantDatabase,
    private readonly repository: AdminStatsRepository,
  ) {}

  async stats(now = new Date()): Promise<AdminStatsResponse> {
    const counts = await this.tenant.asSystem((db) => this.repository.counts(db, now));
    const plans = new Map(counts.orgsByPlan.map((row) => [row.plan, row.orgs]));
    const statuses = new Map(counts.tasksByStatus.map((row) => [row.status, row.tasks]));
    return {
      users: {
        total: counts.users.total,
        verified: counts.users.verified,
        suspended: counts.users.suspended,
        platformAdmins: counts.users.platform_admins,
        newLast7Days: counts.users.new_7d,
      },
      orgs: {
        total: counts.orgsByPlan.reduce((sum, row) => sum + row.orgs, 0),
        byPlan: PLAN_IDS.map((plan: PlanId) => ({ plan, orgs: plans.get(plan) ?? 0 })),
      },
      tasks: {
        last24HoursByStatus: TASK_STATUSES.map((status: TaskStatus) => ({ status, tasks: statuses.get(status) ?? 0 })),
        runningNow: counts.runningNow,
      },
      leads: { total: counts.leads.total, createdLast24Hours: counts.leads.last_24h },
      credits: { consumedLast30Days: counts.creditsConsumed },
      queues: counts.queues,
      generatedAt: now.toISOString(),
    };
  }
}
