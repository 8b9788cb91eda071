import { ApiProperty } from '@nestjs/swagger';

export class AdminUserStats {
  @ApiProperty({ example: 1200 }) total!: number;
  @ApiProperty({ example: 1100, description: 'Confirmed their email address.' }) verified!: number;
  @ApiProperty({ example: 3 }) suspended!: number;
  @ApiProperty({ example: 2 }) platformAdmins!: number;
  @ApiProperty({ example: 40, description: 'Registered in the last 7 days.' }) newLast7Days!: number;
}

export class AdminPlanCount {
  @ApiProperty({ enum: ['free', 'pro', 'business'] }) plan!: 'free' | 'pro' | 'business';
  @ApiProperty({ example: 900 }) orgs!: number;
}

export class AdminOrgStats {
  @ApiProperty({ example: 950 }) total!: number;
  @ApiProperty({ type: [AdminPlanCount], description: 'Every plan, including those with no organization.' }) byPlan!: AdminPlanCount[];
}

export class AdminTaskStatusCount {
  @ApiProperty({ enum: ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled', 'timed_out'] })
  status!: 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled' | 'timed_out';
  @ApiProperty({ example: 12 }) tasks!: number;
}

export class AdminTaskStats {
  @ApiProperty({ type: [AdminTaskStatusCount], description: 'Tasks created in the last 24 hours by their current status; every status is listed.' })
  last24HoursByStatus!: AdminTaskStatusCount[];
  @ApiProperty({ example: 4, description: 'Tasks running now, whenever they were created.' }) runningNow!: number;
}

export class AdminLeadStats {
  @ApiProperty({ example: 2_500_000, description: 'Live (not deleted) leads of every organization, from the analytics rollups.' }) total!: number;
  @ApiProperty({ example: 12_000, description: 'Live leads created in the last 24 hours (to the quarter hour).' }) createdLast24Hours!: number;
}

export class AdminCreditStats {
  @ApiProperty({ example: 48_000, description: 'Credits spent on tasks in the last 30 days (reservations less what went back at settlement or refund).' })
  consumedLast30Days!: number;
}

export class AdminQueueStats {
  @ApiProperty({ example: 'scrape.shard' }) queue!: string;
  @ApiProperty({ example: 3, description: 'Jobs waiting (created or retrying), including deferred ones.' }) queued!: number;
  @ApiProperty({ example: 2 }) active!: number;
}

export class AdminStatsResponse {
  @ApiProperty({ type: AdminUserStats }) users!: AdminUserStats;
  @ApiProperty({ type: AdminOrgStats }) orgs!: AdminOrgStats;
  @ApiProperty({ type: AdminTaskStats }) tasks!: AdminTaskStats;
  @ApiProperty({ type: AdminLeadStats }) leads!: AdminLeadStats;
  @ApiProperty({ type: AdminCreditStats }) credits!: AdminCreditStats;
  @ApiProperty({ type: [AdminQueueStats], description: 'Every queue of the job system, by name.' }) queues!: AdminQueueStats[];
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
}
