import { BUSINESS_TYPES, JOB_LEVELS, LEAD_OBJECTIVES, type BusinessType, type JobLevel, type LeadObjective } from '@leadforge/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
  MinLength,
  registerDecorator,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { TASK_PLATFORMS, type TaskPlatform } from '../tasks/scrape-task.entity';
import { TASK_LIMITS } from '../tasks/task-options';

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

/** `{name: "h3", phone: "a.tel@href"}`: at most 30 fields, names like identifiers, selectors 1..300 chars. */
function IsSelectorMap(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isSelectorMap',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'fields must map 1..30 field names (letters, digits, _) to CSS selectors of 1..300 characters', ...options },
      validator: {
        validate(value: unknown) {
          if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
          const entries = Object.entries(value as Record<string, unknown>);
          return (
            entries.length >= 1 &&
            entries.length <= 30 &&
            entries.every(([name, selector]) => FIELD_NAME.test(name) && typeof selector === 'string' && selector.trim().length > 0 && selector.length <= 300)
          );
        },
      },
    });
}

export class TaskOptionsDto {
  @ApiPropertyOptional({ minimum: 1, maximum: TASK_LIMITS.maxPagesCeiling, default: 50, description: 'Pages per seed; capped by the plan.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(TASK_LIMITS.maxPagesCeiling)
  maxPages?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: TASK_LIMITS.maxDepth, default: 2 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(TASK_LIMITS.maxDepth)
  maxDepth?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  sameDomain?: boolean;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  respectRobots?: boolean;

  @ApiPropertyOptional({ enum: ['http', 'browser'], default: 'http' })
  @IsOptional()
  @IsIn(['http', 'browser'])
  render?: 'http' | 'browser';

  @ApiPropertyOptional({ type: [String], maxItems: TASK_LIMITS.maxGlobs, example: ['/team/**', '/about*'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(TASK_LIMITS.maxGlobs)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  include?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: TASK_LIMITS.maxGlobs, example: ['/blog/**'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(TASK_LIMITS.maxGlobs)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  exclude?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: TASK_LIMITS.maxConcurrency, default: 4, description: 'Parallel requests per domain.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(TASK_LIMITS.maxConcurrency)
  concurrency?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: TASK_LIMITS.maxDelayMs, default: 250, description: 'Minimum gap between requests to one domain (robots.txt crawl-delay can raise it).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(TASK_LIMITS.maxDelayMs)
  delayMs?: number;

  @ApiPropertyOptional({ minimum: TASK_LIMITS.minRequestTimeoutMs, maximum: TASK_LIMITS.maxRequestTimeoutMs, default: 20_000 })
  @IsOptional()
  @IsInt()
  @Min(TASK_LIMITS.minRequestTimeoutMs)
  @Max(TASK_LIMITS.maxRequestTimeoutMs)
  requestTimeoutMs?: number;

  @ApiPropertyOptional({ minimum: TASK_LIMITS.minWallTimeSeconds, maximum: TASK_LIMITS.maxWallTimeSeconds, default: 3_600, description: 'After this the task ends as timed_out.' })
  @IsOptional()
  @IsInt()
  @Min(TASK_LIMITS.minWallTimeSeconds)
  @Max(TASK_LIMITS.maxWallTimeSeconds)
  maxWallTimeSeconds?: number;
}

export class DirectorySelectorsDto {
  @ApiProperty({ example: 'li.listing', description: 'CSS selector of one directory entry.' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  item!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { name: 'h3', phone: '.tel', website: 'a.site@href', category: '.category', city: '.city' },
    description: 'Field name -> CSS selector relative to the item; `selector@attr` takes an attribute.',
  })
  @IsObject()
  @IsSelectorMap()
  fields!: Record<string, string>;

  @ApiPropertyOptional({ example: 'a[rel=next]@href', description: 'Selector of the next-page link.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  next?: string;
}

export class CrawlFiltersDto {
  @ApiPropertyOptional({ enum: JOB_LEVELS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(JOB_LEVELS.length)
  @IsIn(JOB_LEVELS, { each: true })
  jobLevels?: JobLevel[];

  @ApiPropertyOptional({ enum: BUSINESS_TYPES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(BUSINESS_TYPES.length)
  @IsIn(BUSINESS_TYPES, { each: true })
  businessTypes?: BusinessType[];

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  minConfidence?: number;
}

export class StartTaskDto {
  @ApiProperty({ enum: TASK_PLATFORMS })
  @IsIn(TASK_PLATFORMS)
  platform!: TaskPlatform;

  @ApiProperty({ type: [String], minItems: 1, maxItems: TASK_LIMITS.maxSeeds, example: ['https://www.example.org/'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(TASK_LIMITS.maxSeeds)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false, allow_underscores: true }, { each: true, message: 'each seed must be an http(s) URL' })
  @MaxLength(2_048, { each: true })
  seeds!: string[];

  @ApiPropertyOptional({ type: TaskOptionsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TaskOptionsDto)
  options?: TaskOptionsDto;

  @ApiPropertyOptional({ type: DirectorySelectorsDto, description: 'Required for platform "directory".' })
  @IsOptional()
  @ValidateNested()
  @Type(() => DirectorySelectorsDto)
  selectors?: DirectorySelectorsDto;

  @ApiPropertyOptional({ type: CrawlFiltersDto, description: 'Leads not matching are not stored.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CrawlFiltersDto)
  filters?: CrawlFiltersDto;

  @ApiPropertyOptional({ enum: LEAD_OBJECTIVES, default: 'sales' })
  @IsOptional()
  @IsIn(LEAD_OBJECTIVES)
  leadObjective?: LeadObjective;

  @ApiPropertyOptional({ maxLength: 120, example: 'Dental practices in Leeds' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name?: string;
}
