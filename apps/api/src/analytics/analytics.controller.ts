import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthContext } from '../common/auth/auth-context';
import { Auth } from '../common/auth/auth.decorator';
import { CurrentAuth } from '../common/auth/current-auth.decorator';
import { ProblemResponse } from '../common/openapi/problem.schema';
import { LeadFilterQuery } from '../leads/dto/lead-filter.dto';
import { AnalyticsService } from './analytics.service';
import { AnalyticsCategoriesResponse, AnalyticsConfidenceResponse, AnalyticsPlatformsResponse, AnalyticsSummaryResponse, AnalyticsTimelineResponse, TimelineQuery } from './dto/analytics.dto';

@ApiTags('analytics')
@Controller('analytics')
@Auth()
@ApiBadRequestResponse({ type: ProblemResponse })
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('summary')
  @ApiOperation({ summary: 'Totals of the live leads matching the filters (same filters as GET leads).' })
  @ApiOkResponse({ type: AnalyticsSummaryResponse })
  summary(@CurrentAuth() auth: AuthContext, @Query() filter: LeadFilterQuery): Promise<AnalyticsSummaryResponse> {
    return this.analytics.summary(auth, filter);
  }

  @Get('platforms')
  @ApiOperation({ summary: 'Leads per platform.' })
  @ApiOkResponse({ type: AnalyticsPlatformsResponse })
  platforms(@CurrentAuth() auth: AuthContext, @Query() filter: LeadFilterQuery): Promise<AnalyticsPlatformsResponse> {
    return this.analytics.platforms(auth, filter);
  }

  @Get('timeline')
  @ApiOperation({ summary: 'Leads created per day, week or month in a time zone.' })
  @ApiOkResponse({ type: AnalyticsTimelineResponse })
  timeline(@CurrentAuth() auth: AuthContext, @Query() query: TimelineQuery): Promise<AnalyticsTimelineResponse> {
    return this.analytics.timeline(auth, query);
  }

  @Get('categories')
  @ApiOperation({ summary: 'Leads per business type and per job level.' })
  @ApiOkResponse({ type: AnalyticsCategoriesResponse })
  categories(@CurrentAuth() auth: AuthContext, @Query() filter: LeadFilterQuery): Promise<AnalyticsCategoriesResponse> {
    return this.analytics.categories(auth, filter);
  }

  @Get('confidence')
  @ApiOperation({ summary: 'Histogram of confidence in buckets of ten points.' })
  @ApiOkResponse({ type: AnalyticsConfidenceResponse })
  confidence(@CurrentAuth() auth: AuthContext, @Query() filter: LeadFilterQuery): Promise<AnalyticsConfidenceResponse> {
    return this.analytics.confidence(auth, filter);
  }
}
