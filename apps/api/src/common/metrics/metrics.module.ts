import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { DatabasePoolMetrics, HttpMetrics, QueueMetrics } from './metrics-sources';

/** Prometheus metrics (docs/operations.md): GET /metrics on the API, METRICS_PORT on a worker. */
@Module({
  controllers: [MetricsController],
  providers: [HttpMetrics, DatabasePoolMetrics, QueueMetrics],
})
export class MetricsModule {}
