import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { LeadFilterQuery } from '../../leads/dto/lead-filter.dto';

export const TIMELINE_INTERVALS = ['day', 'week', 'month'] as const;
export type TimelineInterval = (typeof TIMELINE_INTERVALS)[number];

const TIME_ZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC']);

@ValidatorConstraint({ name: 'ianaTimeZone' })
export class IsIanaTimeZone implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && TIME_ZONES.has(value);
  }

  defaultMessage(): string {
    return 'tz must be an IANA time zone such as Europe/Berlin';
  }
}

export class TimelineQuery extends LeadFilterQuery {
  @ApiPropertyOptional({ enum: TIMELINE_INTERVALS, default: 'day' })
  @IsOptional() @IsIn(TIMELINE_INTERVALS)
  interval?: TimelineInterval;

  @ApiPropertyOptional({ default: 'UTC', example: 'Europe/Berlin', maxLength: 64, description: 'IANA time zone the buckets start in (midnight local time; weeks start on Monday).' })
  @IsOptional() @IsString() @Length(1, 64) @Validate(IsIanaTimeZone)
  tz?: string;
}

export class StatusCountsResponse {
  @ApiProperty() new!: number;
  @ApiProperty() contacted!: number;
  @ApiProperty() qualified!: number;
  @ApiProperty() disqualified!: number;
}

export class AnalyticsSummaryResponse {
  @ApiProperty() total!: number;
  @ApiProperty({ type: StatusCountsResponse }) byStatus!: StatusCountsResponse;
  @ApiProperty() withEmail!: number;
  @ApiProperty() withPhone!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Mean confidence (0..100, one decimal); null without leads.' }) avgConfidence!: number | null;
  @ApiProperty({ description: 'Created in the last 7 days.' }) last7Days!: number;
  @ApiProperty({ description: 'Created in the last 30 days.' }) last30Days!: number;
}

export class CountByValueResponse {
  @ApiProperty({ description: 'The vocabulary value; `unknown` (job level) or `other` (business type, platform) for leads without one.' }) value!: string;
  @ApiProperty() label!: string;
  @ApiProperty() count!: number;
}

export class AnalyticsPlatformsResponse {
  @ApiProperty({ type: [CountByValueResponse] }) items!: CountByValueResponse[];
}

export class TimelineBucketResponse {
  @ApiProperty({ example: '2030-01-06', description: 'First local day of the bucket (YYYY-MM-DD).' }) start!: string;
  @ApiProperty() count!: number;
}

export class AnalyticsTimelineResponse {
  @ApiProperty({ enum: TIMELINE_INTERVALS }) interval!: TimelineInterval;
  @ApiProperty() tz!: string;
  @ApiProperty({ type: [TimelineBucketResponse], description: 'Buckets with at least one lead, oldest first.' }) items!: TimelineBucketResponse[];
}

export class AnalyticsCategoriesResponse {
  @ApiProperty({ type: [CountByValueResponse], description: 'Every business type, in vocabulary order.' }) businessType!: CountByValueResponse[];
  @ApiProperty({ type: [CountByValueResponse], description: 'Every job level, in vocabulary order.' }) jobLevel!: CountByValueResponse[];
}

export class ConfidenceBucketResponse {
  @ApiProperty({ example: 40 }) from!: number;
  @ApiProperty({ example: 49, description: 'Inclusive; the last bucket is 90..100.' }) to!: number;
  @ApiProperty() count!: number;
}

export class AnalyticsConfidenceResponse {
  @ApiProperty({ type: [ConfidenceBucketResponse], description: 'Ten buckets of ten points.' }) items!: ConfidenceBucketResponse[];
}
