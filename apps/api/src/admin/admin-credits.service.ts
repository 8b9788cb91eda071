import { HttpStatus, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { CreditsService } from '../billing/credits.service';
import type { AuthContext, ClientInfo } from '../common/auth/auth-context';
import { AppError } from '../common/errors/app-error';
import { TenantDatabase } from '../database/tenant-database';
import type { AdjustCreditsResponse } from './dto/adjust-credits.dto';

/**
 * Platform administrators' credit adjustments: one ledger row (reason admin_adjustment, the
 * admin's note) and one audit row in the organization's log, in one transaction. A debit larger
 * than the balance is refused like any other (402 insufficient_credits).
 */
@Injectable()
export class AdminCreditsService {
  constructor(
    private readonly tenant: TenantDatabase,
    private readonly credits: CreditsService,
    private readonly audit: AuditService,
  ) {}

  async adjust(admin: AuthContext, orgId: string, delta: number, reason: string, client: ClientInfo): Promise<AdjustCreditsResponse> {
    return this.tenant.asSystem(async (db) => {
      const exists = (await db.query(`SELECT 1 FROM organization WHERE id = $1`, [orgId])) as unknown[];
      if (exists.length === 0) throw new AppError('not_found', HttpStatus.NOT_FOUND, 'Organization not found');
      await this.credits.lockAccount(db, orgId);
      const write = { orgId, delta, reason: 'admin_adjustment' as const, createdBy: admin.userId, note: reason };
      const balance = delta > 0 ? await this.credits.credit(db, write) : await this.credits.debit(db, write);
      await this.audit.record(db, {
        action: 'admin.credits_adjusted',
        orgId,
        actorUserId: admin.userId,
        target: { type: 'organization', id: orgId },
        client,
        metadata: { delta, balanceAfter: balance },
      });
      await db.query(`SELECT pg_notify('leadforge_credits', $1)`, [JSON.stringify({ orgId, balance })]);
      return { orgId, delta, balance };
    });
  }
}
