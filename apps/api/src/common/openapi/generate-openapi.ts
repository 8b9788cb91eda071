import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../../app.module';
import { loadAppConfig } from '../config/app-config';
import { buildOpenApiDocument } from './openapi.document';

import { API_PREFIX } from '../http/api-prefix';

/**
 * Builds the OpenAPI document in-process without a database or a listening server: Nest's preview
 * mode resolves the module graph and controllers but instantiates no provider.
 */
export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  // Nothing is signed or sealed while the document is built: throwaway keys satisfy validation.
  const throwaway = randomBytes(32).toString('hex');
  const config = loadAppConfig({
    NODE_ENV: 'test',
    DATABASE_URL: 'postgres://openapi@127.0.0.1:1/openapi',
    JWT_SECRET: throwaway,
    ENCRYPTION_KEY: throwaway,
    LOG_LEVEL: 'silent',
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  app.setGlobalPrefix(API_PREFIX, { exclude: ['metrics'] });
  const document = buildOpenApiDocument(app);
  await app.close();
  return document;
}

/** The committed form: sorted keys, two-space indent, trailing newline. */
export const serializeOpenApi = (document: OpenAPIObject): string => `${JSON.stringify(document, null, 2)}\n`;
