import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { AppConfig } from '../common/config/app-config';
import type { RealtimeLimits } from './realtime-limits';

/**
 * Socket.IO on the Fastify app's own HTTP server (port 0 means "attach to the app's server";
 * engine.io answers /socket.io/ and the upgrade, everything else still reaches Fastify), with the
 * CORS allowlist, the payload cap and the heartbeat applied to every gateway.
 */
type IoServerOptions = NonNullable<Parameters<IoAdapter['createIOServer']>[1]>;

export class EventsIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly config: Pick<AppConfig, 'corsOrigins'>,
    private readonly limits: RealtimeLimits,
  ) {
    super(app);
  }

  // Typed through IoAdapter: @nestjs/platform-socket.io pins its own copy of socket.io.
  override createIOServer(port: number, options?: Partial<IoServerOptions>): ReturnType<IoAdapter['createIOServer']> {
    return super.createIOServer(port, {
      ...(options as IoServerOptions),
      serveClient: false,
      maxHttpBufferSize: this.limits.maxPayloadBytes,
      pingInterval: this.limits.pingIntervalMs,
      pingTimeout: this.limits.pingTimeoutMs,
      connectTimeout: 10_000,
      cors: { origin: this.config.corsOrigins.length > 0 ? this.config.corsOrigins : false, credentials: true },
    });
  }
}
