import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem-details.filter';
import { problemType, TITLE_BY_STATUS } from '../errors/problem-codes';
import { checkMetricsAccess } from './metrics-token';
import { metricsRegistry } from './metrics';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * A worker has no HTTP API, so it serves GET /metrics on its own port (METRICS_PORT) with the same
 * bearer token as the API's endpoint; anything else is a 404.
 */
export async function startMetricsServer(options: { port: number; host: string; token: string | undefined }): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    const problem = (status: number, code: string, detail: string, headers: Record<string, string> = {}): void => {
      const requestId = randomUUID();
      response.writeHead(status, { ...headers, 'content-type': PROBLEM_CONTENT_TYPE, 'x-request-id': requestId });
      response.end(JSON.stringify({ type: problemType(code), title: TITLE_BY_STATUS[status], status, detail, instance: '/metrics', code, requestId }));
    };
    const path = (request.url ?? '/').split('?')[0];
    const access = checkMetricsAccess(options.token, request.headers.authorization);
    if (request.method !== 'GET' || path !== '/metrics' || access === 'disabled') return problem(404, 'route_not_found', `No route matches ${request.method} ${path}.`);
    if (access !== 'granted') {
      return problem(401, access === 'missing' ? 'unauthenticated' : 'invalid_token', access === 'missing' ? 'Send the metrics token as Authorization: Bearer.' : 'The metrics token is not valid.', {
        'www-authenticate': 'Bearer realm="metrics"',
      });
    }
    metricsRegistry.metrics().then(
      (text) => {
        response.writeHead(200, { 'content-type': metricsRegistry.contentType, 'cache-control': 'no-store' });
        response.end(text);
      },
      () => problem(500, 'internal_error', 'An unexpected error occurred.'),
    );
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
