import { BUSINESS_TYPES, DEGREE_TYPES, EDUCATION_LEVELS, JOB_LEVELS, LEAD_OBJECTIVES, type BusinessType, type DegreeType, type EducationLevel, type JobLevel, type LeadObjective } from '@leadforge/contracts';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsDate, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { TASK_PLATFORMS } from '../../scraper/tasks/scrape-task.entity';
import { LEAD_STATUSES, type LeadPlatform, type LeadStatus } from '../lead.types';

/** `a,b` or repeated `?x=a&x=b` (or a JSON array in a body) -> string[]. */
const list = Transform(({ value }: { value: unknown }) => {
  if (typeof value === 'string') return value.split(',').map((item) => item.trim()).filter(Boolean);
  if (Array.isArray(value)) return value.flatMap((item) => (typeof item === 'string' ? item.split(',').map((part) => part.trim()).filter(Boolean) : [item]));
  return value;
});
/** `true` / `false` from a query string; booleans from a body pass. */
const bool = Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));

export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 50;
const TAG = /^[^\p{Cc},]+$/u;

/**
 * The filters every read of leads accepts: GET leads, the analytics, the exports and POST leads/bulk.
 * Lists are comma-separated or repeated; values of one filter are OR-ed, filters are AND-ed.
 */
export class LeadFilterQuery {
  @ApiPropertyOptional({ enum: TASK_PLATFORMS, isArray: true, description: 'Platform of the task that found the lead.' })
  @IsOptional() @list @IsArray() @ArrayMaxSize(TASK_PLATFORMS.length) @IsIn(TASK_PLATFORMS, { each: true })
  platform?: LeadPlatform[];

  @ApiPropertyOptional({ format: 'uuid', description: 'The task that first found the lead.' })
  @IsOptional() @IsUUID()
  taskId?: string;

  @ApiPropertyOptional({ enum: JOB_LEVELS, isArray: true })
  @IsOptional() @list @IsArray() @ArrayMaxSize(JOB_LEVELS.length) @IsIn(JOB_LEVELS, { each: true })
  jobLevel?: JobLevel[];

  @ApiPropertyOptional({ enum: BUSINESS_TYPES, isArray: true })
  @IsOptional() @list @IsArray() @ArrayMaxSize(BUSINESS_TYPES.length) @IsIn(BUSINESS_TYPES, { each: true })
  businessType?: BusinessType[];

  @ApiPropertyOptional({ enum: EDUCATION_LEVELS, isArray: true })
  @IsOptional() @list @IsArray() @ArrayMaxSize(EDUCATION_LEVELS.length) @IsIn(EDUCATION_LEVELS, { each: true })
  educationLevel?: EducationLevel[];

  @ApiPropertyOptional({ enum: DEGREE_TYPES, isArray: true })
  @IsOptional() @list @IsArray() @ArrayMaxSize(DEGREE_TYPES.length) @IsIn(DEGREE_TYPES, { each: true })
  degreeType?: DegreeType[];

  @ApiPropertyOptional({ enum: LEAD_OBJECTIVES, isArray: true })
  @IsOptional() @list @IsArray() @ArrayMaxSize(LEAD_OBJECTIVES.length) @IsIn(LEAD_OBJECTIVES, { each: true })
  leadObjective?: LeadObjective[];

  @ApiPropertyOptional({ enum: LEAD_STATUSES, isArray: true })
  @IsOptional() @list @IsArray() @ArrayMaxSize(LEAD_STATUSES.length) @IsIn(LEAD_STATUSES, { each: true })
  status?: LeadStatus[];

  @ApiPropertyOptional({ type: [String], maxItems: 20, description: 'Leads carrying at least one of these tags.' })
  @IsOptional() @list @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @Length(1, MAX_TAG_LENGTH, { each: true }) @Matches(TAG, { each: true, message: 'tags must not contain commas or control characters' })
  tags?: string[];

  @ApiPropertyOptional({ minLength: 2, maxLength: 56, description: 'Country of the address (ISO code or name as found), case-insensitive.' })
  @IsOptional() @IsString() @Length(2, 56) @Matches(/^[^\p{Cc}]+$/u)
  country?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100)
  minConfidence?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100)
  maxConfidence?: number;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional() @bool @IsBoolean()
  hasEmail?: boolean;

  @ApiPropertyOptional({ type: Boolean, description: 'At least one phone number.' })
  @IsOptional() @bool @IsBoolean()
  hasPhone?: boolean;

  @ApiPropertyOptional({ format: 'date-time', description: 'createdAt >= this instant.' })
  @IsOptional() @Type(() => Date) @IsDate()
  createdFrom?: Date;

  @ApiPropertyOptional({ format: 'date-time', description: 'createdAt < this instant.' })
  @IsOptional() @Type(() => Date) @IsDate()
  createdTo?: Date;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200, description: 'Full-text search: every word must start a word of the name, title, company, email or domain.' })
  @IsOptional() @IsString() @Length(1, 200) @Matches(/^[^\p{Cc}]+$/u)
  q?: string;
}
