import { Injectable } from '@nestjs/common';
import { TenantDatabase } from '../database/tenant-database';
import { JobHandler } from '../queue/job-handler.decorator';
import { SessionsRepository } from './sessions.repository';

@Injectable()
export class AuthMaintenance {
  constructor(
    private readonly tenant: TenantDatabase,
    private readonly sessions: SessionsRepository,
  ) {}

  /** Ended sessions stay a week (for the sessions page and reuse detection), then go. */
  @JobHandler({ queue: 'maintenance.auth-sessions', schedule: '17 3 * * *', retryLimit: 2 })
  async purgeEndedSessions(): Promise<void> {
    await this.tenant.run({}, (db) => this.sessions.purgeExpired(db));
  }
}
