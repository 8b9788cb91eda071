import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from './problem-details';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The one global exception filter: every HTTP error leaves as RFC 9457 problem+json. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const instance = (request.url ?? '/').split('?')[0] ?? '/';
    const { body, headers, unexpected } = toProblem(exception, { requestId: String(request.id), instance });

    if (unexpected) {
      this.logger.error({ err: exception, requestId: request.id, method: request.method, url: instance }, 'request failed');
    }
    if (reply.sent) return;

    if (body.status === 429 && !headers['Retry-After']) {
      const retryAfter = Object.entries(reply.getHeaders()).find(([name]) => name.toLowerCase().startsWith('retry-after'))?.[1];
      headers['Retry-After'] = String(retryAfter ?? 60);
    }
    reply.status(body.status).headers(headers).header('content-type', PROBLEM_CONTENT_TYPE).header('x-request-id', String(request.id)).send(body);
  }
}
