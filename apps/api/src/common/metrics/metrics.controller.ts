import { Controller, Get, Headers, HttpStatus, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import { AppError } from '../errors/app-error';
import { checkMetricsAccess } from './metrics-token';
import { metricsRegistry } from './metrics';

/**
 * GET /metrics (outside /api/v1) in the Prometheus text format, for the operator's scraper rather
 * than API clients, so it is left out of the OpenAPI document (docs/operations.md). No rate limit:
 * the limiter's counters live in the database, and metrics must answer while it is away.
 */
@ApiExcludeController()
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(@InjectConfig() private readonly config: AppConfig) {}

  @Get()
  async metrics(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    assertMetricsAccess(this.config.metricsToken, authorization);
    reply.header('content-type', metricsRegistry.contentType);
    reply.header('cache-control', 'no-store');
    return metricsRegistry.metrics();
  }
}

export function assertMetricsAccess(configured: string | undefined, authorization: string | undefined): void {
  const access = checkMetricsAccess(configured, authorization);
  if (access === 'granted') return;
  // Disabled looks exactly like a route that does not exist.
  if (access === 'disabled') throw new AppError('route_not_found', HttpStatus.NOT_FOUND, 'No route matches GET /metrics.');
  throw new AppError(
    access === 'missing' ? 'unauthenticated' : 'invalid_token',
    HttpStatus.UNAUTHORIZED,
    access === 'missing' ? 'Send the metrics token as Authorization: Bearer.' : 'The metrics token is not valid.',
    { headers: { 'WWW-Authenticate': access === 'missing' ? 'Bearer realm="metrics"' : 'Bearer realm="metrics", error="invalid_token"' } },
  );
}
