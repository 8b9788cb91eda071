import { NotFoundException } from '@nestjs/common';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROBLEM_CONTENT_TYPE } from './common/errors/problem-details.filter';
import { toProblem } from './common/errors/problem-details';

/**
 * Serves the built admin console at / with a fallback to index.html for client-side routes.
 * Paths under /api never fall back: an unknown API route stays a 404 problem.
 */
export async function registerAdminConsole(fastify: FastifyInstance, distDir: string): Promise<boolean> {
  if (!existsSync(join(distDir, 'index.html'))) return false;
  await fastify.register(fastifyStatic, { root: distDir, prefix: '/', wildcard: false, index: ['index.html'], maxAge: '1h', immutable: false });
  const spaFallback = (request: { url: string; method: string; id: string }, reply: import('fastify').FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (path.startsWith('/api/') || path === '/api' || path === '/metrics') {
      const { body } = toProblem(new NotFoundException(`Cannot ${request.method} ${path}`), { requestId: request.id, instance: path });
      return reply.status(404).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  };
  fastify.get('/*', spaFallback);
  return true;
}
