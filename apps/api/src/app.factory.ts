import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { IncomingMessage } from 'node:http';
import { Logger } from 'nestjs-pino';
import { registerAdminConsole } from './admin-console';
import { AppModule } from './app.module';
import type { AppConfig } from './common/config/app-config';
import { requestIdFor } from './common/http/request-id';
import { buildOpenApiDocument } from './common/openapi/openapi.document';
import { createValidationPipe } from './common/validation/validation.pipe';
import { EventsIoAdapter } from './realtime/events-io.adapter';
import { REALTIME_LIMITS, type RealtimeLimits } from './realtime/realtime-limits';

export { API_PREFIX } from './common/http/api-prefix';
import { API_PREFIX } from './common/http/api-prefix';
export const BODY_LIMIT_BYTES = 1024 * 1024;

export function createFastifyAdapter(config: Pick<AppConfig, 'trustProxy'>): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    genReqId: (request: IncomingMessage) => {
      const id = requestIdFor(request);
      // Shared with the HTTP logger, which only sees the raw request.
      (request as IncomingMessage & { id?: string }).id = id;
      return id;
    },
    logger: false,
  });
}

/** Applies everything that makes the Nest app the Leadforge API; shared by main and the e2e tests. */
export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  app.setGlobalPrefix(API_PREFIX, { exclude: ['metrics'] });
  app.useGlobalPipes(createValidationPipe());
  app.enableCors({
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    credentials: true,
    exposedHeaders: ['X-Request-ID', 'Retry-After', 'Content-Disposition'],
    maxAge: 600,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: config.isProduction ? [] : null,
      },
    },
    hsts: config.isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });

  // Built on the first request for the docs: scanning every route at boot costs each API process memory it rarely needs.
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs/openapi.json',
    yamlDocumentUrl: 'api/docs/openapi.yaml',
    customSiteTitle: 'Leadforge API',
    swaggerOptions: { persistAuthorization: false, displayOperationId: true },
  });

  await registerAdminConsole(fastify, config.adminDistDir);
  // Socket.IO attaches to Fastify's HTTP server when the gateways start (app.init / listen).
  app.useWebSocketAdapter(new EventsIoAdapter(app, config, app.get<RealtimeLimits>(REALTIME_LIMITS)));
}

export async function createApp(config: AppConfig, extraModules: Array<Type | DynamicModule> = []): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, extraModules), createFastifyAdapter(config), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  await configureApp(app, config);
  return app;
}
