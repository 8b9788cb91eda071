import { Logger } from '@nestjs/common';
import { Client } from 'pg';

export interface PgNotificationListenerOptions {
  connectionString: string;
  channels: readonly string[];
  onNotification(channel: string, payload: string): void;
  /** After every (re)connect: notifications sent while no connection listened are lost, so catch up. */
  onReconnect(): void;
}

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 5_000;

/** One dedicated connection that LISTENs on a few channels and reconnects (with backoff) when it drops. */
export class PgNotificationListener {
  private readonly logger = new Logger(PgNotificationListener.name);
  private client: Client | undefined;
  private stopped = false;
  private backoffMs = MIN_BACKOFF_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private connectedOnce = false;

  constructor(private readonly options: PgNotificationListenerOptions) {}

  /** Resolves once listening, or after the first failed attempt (retries continue in the background). */
  async start(): Promise<void> {
    await this.connect();
  }

  get listening(): boolean {
    return this.client !== undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.options.connectionString,
      application_name: 'leadforge-events-listener',
      keepAlive: true,
      // A server that does not answer (rather than refusing) must not stall the reconnect loop.
      connectionTimeoutMillis: 5_000,
    });
    client.on('notification', (message) => {
      if (message.payload !== undefined) this.options.onNotification(message.channel, message.payload);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      for (const channel of this.options.channels) await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.backoffMs = MIN_BACKOFF_MS;
    if (this.connectedOnce) this.logger.log('listening again after a lost connection');
    this.connectedOnce = true;
    this.options.onReconnect();
  }

  private lost(client: Client, error: Error): void {
    client.removeAllListeners('end');
    client.removeAllListeners('error');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.client === client) this.client = undefined;
    if (this.stopped || this.retryTimer) return;
    this.logger.warn(`notification connection lost (${error.message}); reconnecting in ${this.backoffMs} ms`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, this.backoffMs);
    this.retryTimer.unref();
    this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
  }
}
