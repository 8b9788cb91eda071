import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination/page';
import { TASK_STATUSES, type TaskStatus } from '../tasks/scrape-task.entity';

export class TaskListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: TASK_STATUSES, isArray: true, description: 'Comma-separated or repeated.' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value))
  @IsArray()
  @ArrayMaxSize(TASK_STATUSES.length)
  @IsIn(TASK_STATUSES, { each: true })
  status?: TaskStatus[];
}

export class TaskEventsQuery {
  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'Events with a larger seq; 0 replays everything.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  sinceSeq?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class BulkStopRequest {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  taskIds!: string[];
}

export class BulkStopResponse {
  @ApiProperty({ type: [String], format: 'uuid' }) stopped!: string[];
  @ApiProperty({ type: 'array', items: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, reason: { type: 'string' } } } })
  notStopped!: Array<{ id: string; reason: string }>;
}

export class TaskEventResponse {
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty({ minimum: 1 }) seq!: number;
  @ApiProperty({ enum: ['task.status', 'task.progress', 'task.log', 'task.leads'] }) type!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) payload!: Record<string, unknown>;
}

export class TaskEventListResponse {
  @ApiProperty({ type: [TaskEventResponse] }) items!: TaskEventResponse[];
  @ApiProperty({ description: 'seq of the last event returned (pass as sinceSeq for the next call).' }) lastSeq!: number;
}

export class QueueStatusResponse {
  @ApiProperty() queued!: number;
  @ApiProperty() running!: number;
  @ApiProperty() paused!: number;
  @ApiProperty({ description: "This organization's shards waiting for a worker." }) shardsWaiting!: number;
  @ApiProperty() shardsRunning!: number;
  @ApiProperty({ description: 'Shard jobs of all organizations ready to run now.' }) queueDepth!: number;
}

export class TaskEstimateResponse {
  @ApiProperty() seeds!: number;
  @ApiProperty() shards!: number;
  @ApiProperty() maxPages!: number;
  @ApiProperty({ description: 'Credits the start would reserve (maxPages x seeds); unused ones come back.' }) credits!: number;
  @ApiProperty() balance!: number;
  @ApiProperty() affordable!: boolean;
  @ApiProperty({ enum: ['free', 'pro', 'business'] }) plan!: string;
  @ApiProperty({ type: 'object', properties: { concurrentTasks: { type: 'integer' }, maxPagesPerSeed: { type: 'integer' } } })
  planLimits!: { concurrentTasks: number; maxPagesPerSeed: number };
}
