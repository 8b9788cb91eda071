import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthContext } from '../common/auth/auth-context';
import { Auth } from '../common/auth/auth.decorator';
import { CurrentAuth } from '../common/auth/current-auth.decorator';
import { FilterOptionsQuery, FilterOptionsResponse } from './dto/filters.dto';
import { FiltersService } from './filters.service';

@ApiTags('filters')
@Controller('filters')
@Auth()
export class FiltersController {
  constructor(private readonly filters: FiltersService) {}

  @Get('platforms')
  @ApiOperation({ summary: 'Platforms a lead can come from.' })
  @ApiOkResponse({ type: FilterOptionsResponse })
  platforms(@CurrentAuth() auth: AuthContext, @Query() query: FilterOptionsQuery): Promise<FilterOptionsResponse> {
    return this.filters.options(auth, 'platforms', query.withCounts ?? false);
  }

  @Get('business-types')
  @ApiOperation({ summary: 'Business types (DESIGN.md §6).' })
  @ApiOkResponse({ type: FilterOptionsResponse })
  businessTypes(@CurrentAuth() auth: AuthContext, @Query() query: FilterOptionsQuery): Promise<FilterOptionsResponse> {
    return this.filters.options(auth, 'business-types', query.withCounts ?? false);
  }

  @Get('job-levels')
  @ApiOperation({ summary: 'Job levels.' })
  @ApiOkResponse({ type: FilterOptionsResponse })
  jobLevels(@CurrentAuth() auth: AuthContext, @Query() query: FilterOptionsQuery): Promise<FilterOptionsResponse> {
    return this.filters.options(auth, 'job-levels', query.withCounts ?? false);
  }

  @Get('education-levels')
  @ApiOperation({ summary: 'Education levels.' })
  @ApiOkResponse({ type: FilterOptionsResponse })
  educationLevels(@CurrentAuth() auth: AuthContext, @Query() query: FilterOptionsQuery): Promise<FilterOptionsResponse> {
    return this.filters.options(auth, 'education-levels', query.withCounts ?? false);
  }

  @Get('degree-types')
  @ApiOperation({ summary: 'Degree types.' })
  @ApiOkResponse({ type: FilterOptionsResponse })
  degreeTypes(@CurrentAuth() auth: AuthContext, @Query() query: FilterOptionsQuery): Promise<FilterOptionsResponse> {
    return this.filters.options(auth, 'degree-types', query.withCounts ?? false);
  }

  @Get('lead-objectives')
  @ApiOperation({ summary: 'Lead objectives.' })
  @ApiOkResponse({ type: FilterOptionsResponse })
  leadObjectives(@CurrentAuth() auth: AuthContext, @Query() query: FilterOptionsQuery): Promise<FilterOptionsResponse> {
    return this.filters.options(auth, 'lead-objectives', query.withCounts ?? false);
  }
}
