import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../common/pagination/page';
import { LEAD_SORTS, SORT_ORDERS, type LeadSort, type SortOrder } from '../lead-query';
import { LEAD_STATUSES, type LeadStatus } from '../lead.types';
import { LeadFilterQuery, MAX_TAG_LENGTH, MAX_TAGS } from './lead-filter.dto';

const TAG = /^[^\p{Cc},]+$/u;
const NO_CONTROL = /^[^\p{Cc}]*$/u;
const trim = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

export class LeadListQuery extends LeadFilterQuery {
  @ApiPropertyOptional({ enum: LEAD_SORTS, default: 'createdAt' })
  @IsOptional() @IsIn(LEAD_SORTS)
  sort?: LeadSort;

  @ApiPropertyOptional({ enum: SORT_ORDERS, default: 'desc' })
  @IsOptional() @IsIn(SORT_ORDERS)
  order?: SortOrder;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ maxLength: 1500, description: 'nextCursor of the previous page (same sort and order).' })
  @IsOptional() @IsString() @Length(1, 1500) @Matches(/^[A-Za-z0-9_-]+$/)
  cursor?: string;
}

/** What a user may correct on a lead; anything else in the body is a 400. */
export class UpdateLeadRequest {
  @ApiPropertyOptional({ enum: LEAD_STATUSES })
  @IsOptional() @IsIn(LEAD_STATUSES)
  status?: LeadStatus;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_TAGS, description: 'Replaces the tags.' })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_TAGS) @IsString({ each: true }) @Length(1, MAX_TAG_LENGTH, { each: true }) @Matches(TAG, { each: true, message: 'tags must not contain commas or control characters' })
  tags?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10_000 })
  @IsOptional() @ValidateIf((_, value) => value !== null) @IsString() @MaxLength(10_000)
  notes?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200 })
  @IsOptional() @trim @ValidateIf((_, value) => value !== null) @IsString() @Length(1, 200) @Matches(NO_CONTROL)
  fullName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100 })
  @IsOptional() @trim @ValidateIf((_, value) => value !== null) @IsString() @Length(1, 100) @Matches(NO_CONTROL)
  firstName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100 })
  @IsOptional() @trim @ValidateIf((_, value) => value !== null) @IsString() @Length(1, 100) @Matches(NO_CONTROL)
  lastName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200 })
  @IsOptional() @trim @ValidateIf((_, value) => value !== null) @IsString() @Length(1, 200) @Matches(NO_CONTROL)
  jobTitle?: string | null;
}

export const BULK_ACTIONS = ['delete', 'restore', 'tag', 'untag', 'setStatus'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
export const MAX_BULK_IDS = 1000;

/** One action on up to 1,000 ids, or on every lead matching a filter (exactly one of the two). */
export class BulkLeadsRequest {
  @ApiProperty({ enum: BULK_ACTIONS })
  @IsIn(BULK_ACTIONS)
  action!: BulkAction;

  @ApiPropertyOptional({ type: [String], format: 'uuid', minItems: 1, maxItems: MAX_BULK_IDS })
  @ValidateIf((body: BulkLeadsRequest) => body.filter === undefined || body.ids !== undefined)
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_BULK_IDS) @IsUUID('all', { each: true })
  ids?: string[];

  @ApiPropertyOptional({ type: LeadFilterQuery, description: 'Instead of ids: every lead matching these filters (as GET leads).' })
  @ValidateIf((body: BulkLeadsRequest) => body.ids === undefined || body.filter !== undefined)
  @ValidateNested() @Type(() => LeadFilterQuery)
  filter?: LeadFilterQuery;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_TAGS, description: 'For tag and untag.' })
  @ValidateIf((body: BulkLeadsRequest) => body.action === 'tag' || body.action === 'untag' || body.tags !== undefined)
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_TAGS) @IsString({ each: true }) @Length(1, MAX_TAG_LENGTH, { each: true }) @Matches(TAG, { each: true, message: 'tags must not contain commas or control characters' })
  tags?: string[];

  @ApiPropertyOptional({ enum: LEAD_STATUSES, description: 'For setStatus.' })
  @ValidateIf((body: BulkLeadsRequest) => body.action === 'setStatus' || body.status !== undefined)
  @IsIn(LEAD_STATUSES)
  status?: LeadStatus;
}
