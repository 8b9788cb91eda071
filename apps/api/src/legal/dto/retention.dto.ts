import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

export const LEADS_DAYS = { min: 30, max: 3650, default: 365 } as const;
export const TASK_EVENTS_DAYS = { min: 7, max: 365, default: 90 } as const;
/** Soft-deleted leads stay restorable this long, then go for good. */
export const SOFT_DELETED_LEADS_DAYS = 30;

export class RetentionPolicyBody {
  @ApiProperty({ minimum: LEADS_DAYS.min, maximum: LEADS_DAYS.max, example: 365, description: 'A lead neither created nor seen again for this many days is deleted.' })
  @IsInt()
  @Min(LEADS_DAYS.min)
  @Max(LEADS_DAYS.max)
  leadsDays!: number;

  @ApiProperty({ minimum: TASK_EVENTS_DAYS.min, maximum: TASK_EVENTS_DAYS.max, example: 90, description: 'Task events (status, progress, logs, found leads) older than this are deleted.' })
  @IsInt()
  @Min(TASK_EVENTS_DAYS.min)
  @Max(TASK_EVENTS_DAYS.max)
  taskEventsDays!: number;
}

export class RetentionPolicyResponse extends RetentionPolicyBody {
  @ApiProperty({ example: SOFT_DELETED_LEADS_DAYS, description: 'Fixed: soft-deleted leads are purged this many days after deletion.' })
  softDeletedLeadsDays!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the policy was last set; null while the defaults apply.' })
  updatedAt!: string | null;
}

export class RetentionCounts {
  @ApiProperty({ description: 'Rows held now (for leads: including soft-deleted ones).' })
  total!: number;

  @ApiProperty({ description: 'Rows that will expire within the next 7 days under the current policy.' })
  expiringIn7Days!: number;

  @ApiProperty({ description: 'Rows already expired: the next cleanup deletes exactly these.' })
  expiredAwaitingPurge!: number;
}

export class LeadRetentionCounts extends RetentionCounts {
  @ApiProperty({ description: 'Of expiredAwaitingPurge: leads soft-deleted more than 30 days ago.' })
  softDeletedAwaitingPurge!: number;
}

export class RetentionStatsResponse {
  @ApiProperty({ description: 'Lead rows held by the organization (including soft-deleted).' })
  total!: number;

  @ApiProperty()
  expiringIn7Days!: number;

  @ApiProperty()
  expiredAwaitingPurge!: number;

  @ApiProperty({ type: LeadRetentionCounts })
  leads!: LeadRetentionCounts;

  @ApiProperty({ type: RetentionCounts })
  taskEvents!: RetentionCounts;

  @ApiProperty({ type: RetentionPolicyResponse })
  policy!: RetentionPolicyResponse;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastRunAt!: string | null;

  @ApiProperty({ type: String, enum: ['schedule', 'manual'], nullable: true })
  lastRunTrigger!: 'schedule' | 'manual' | null;

  @ApiProperty({ description: 'Rows (leads and task events) the last cleanup deleted.' })
  lastDeletedCount!: number;
}

export class RetentionCleanupResponse {
  @ApiProperty({ description: 'Leads deleted: expired by the policy plus soft-deleted ones past 30 days.' })
  leadsDeleted!: number;

  @ApiProperty({ description: 'Of leadsDeleted: soft-deleted leads purged.' })
  softDeletedLeadsPurged!: number;

  @ApiProperty()
  taskEventsDeleted!: number;

  @ApiProperty({ description: 'leadsDeleted + taskEventsDeleted.' })
  deletedCount!: number;

  @ApiProperty({ description: 'DELETE statements run (each its own short transaction, at most 5,000 rows).' })
  batches!: number;

  @ApiProperty({ description: 'The longest single statement, in milliseconds.' })
  longestStatementMs!: number;

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiProperty({ format: 'date-time' })
  finishedAt!: string;
}
