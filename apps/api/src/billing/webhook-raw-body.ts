import { HttpStatus, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { AppError } from '../common/errors/app-error';
import { API_PREFIX } from '../common/http/api-prefix';

export const STRIPE_WEBHOOK_ROUTE = `/${API_PREFIX}/payments/webhook`;
const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

export type RawBodyRequest = FastifyRequest & { rawBody?: Buffer };

/**
 * Keeps the exact bytes of the Stripe webhook's body (the signature covers them) on
 * `request.rawBody`. Only that route is touched: the body is read in a preParsing hook and handed
 * on unchanged, so the JSON parser and its limits stay those of every other route.
 */
@Injectable()
export class WebhookRawBody implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return;
    const fastify = adapter.getInstance<FastifyInstance>();
    fastify.addHook('preParsing', async (request, _reply, payload) => {
      if (request.routeOptions.url !== STRIPE_WEBHOOK_ROUTE) return payload;
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of payload) {
        const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
        size += buffer.length;
        if (size > WEBHOOK_BODY_LIMIT_BYTES) throw new AppError('payload_too_large', HttpStatus.PAYLOAD_TOO_LARGE, 'The body is larger than 1 MB.');
        chunks.push(buffer);
      }
      const raw = Buffer.concat(chunks);
      (request as RawBodyRequest).rawBody = raw;
      const replay = Readable.from([raw]) as Readable & { receivedEncodedLength?: number };
      replay.receivedEncodedLength = raw.length;
      return replay;
    });
  }
}
