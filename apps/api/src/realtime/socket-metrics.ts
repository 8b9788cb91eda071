import { Gauge } from 'prom-client';
import { metricsRegistry } from '../common/metrics/metrics';

export const SOCKET_CONNECTIONS_METRIC = 'leadforge_socket_connections';

/** Anything that can tell how many sockets it holds (one per gateway; tests run several apps in one process). */
export interface ConnectionCounter {
  readonly connectionCount: number;
}

const counters = new Set<ConnectionCounter>();

/** Registers the gauge once per process in the metrics registry (GET /metrics); it sums every live gateway. */
export function trackConnections(counter: ConnectionCounter): () => void {
  if (!metricsRegistry.getSingleMetric(SOCKET_CONNECTIONS_METRIC)) {
    new Gauge({
      registers: [metricsRegistry],
      name: SOCKET_CONNECTIONS_METRIC,
      help: 'Open Socket.IO connections of the /events namespace on this node.',
      collect() {
        let total = 0;
        for (const item of counters) total += item.connectionCount;
        this.set(total);
      },
    });
  }
  counters.add(counter);
  return () => counters.delete(counter);
}
