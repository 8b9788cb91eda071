import { Controller, Get, HttpCode, HttpStatus } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { Throttle } from '@nestjs/throttler';
import { AppError } from '../common/errors/app-error';
import { ProblemResponse } from '../common/openapi/problem.schema';
import { ReadinessIndicators } from './readiness.indicators';

class LiveResponse {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';
}

class ReadyResponse {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';

  @ApiProperty({ example: { database: 'up', migrations: 'up', queue: 'up', accepting: 'up' }, type: 'object', additionalProperties: { type: 'string', enum: ['up', 'down'] } })
  checks!: Record<string, 'up' | 'down'>;
}

const summarize = (result: HealthCheckResult): Record<string, 'up' | 'down'> =>
  Object.fromEntries(Object.entries(result.details).map(([name, detail]) => [name, detail.status === 'up' ? 'up' : 'down']));

@ApiTags('health')
@Controller('health')
@Throttle({ default: { limit: 120, ttl: 60_000 } })
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: ReadinessIndicators,
  ) {}

  @Get('live')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP.' })
  @ApiOkResponse({ type: LiveResponse })
  live(): LiveResponse {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: database reachable, migrations applied, queue started, not shutting down.' })
  @ApiOkResponse({ type: ReadyResponse })
  @ApiServiceUnavailableResponse({ type: ProblemResponse, description: 'Not ready; `checks` tells which part is down.' })
  async ready(): Promise<ReadyResponse> {
    try {
      const result = await this.health.check([
        () => this.indicators.database(),
        () => this.indicators.migrations(),
        () => this.indicators.queueStarted(),
        () => this.indicators.accepting(),
      ]);
      return { status: 'ok', checks: summarize(result) };
    } catch (error) {
      const details = (error as { response?: HealthCheckResult }).response;
      const checks = details?.details ? summarize(details) : {};
      throw new AppError('not_ready', HttpStatus.SERVICE_UNAVAILABLE, 'The service is not ready to take traffic.', {
        extensions: { checks },
        headers: { 'Retry-After': '5' },
      });
    }
  }
}
