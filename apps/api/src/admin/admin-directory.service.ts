import { Injectable } from '@nestjs/common';
import { InjectConfig } from '../common/config/config.module';
import type { AppConfig } from '../common/config/app-config';
import { DEFAULT_PAGE_SIZE, toPage } from '../common/pagination/page';
import { TenantDatabase } from '../database/tenant-database';
import { AdminRepository } from './admin.repository';
import { toAdminUser } from './admin-users.service';
import type { AdminOrgListResponse, AdminOrgsQuery, AdminUserListResponse, AdminUsersQuery } from './dto/admin-lists.dto';

/** The platform administrators' lists of every user and organization. */
@Injectable()
export class AdminDirectoryService {
  constructor(
    private readonly tenant: TenantDatabase,
    private readonly repository: AdminRepository,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async users(query: AdminUsersQuery): Promise<AdminUserListResponse> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.tenant.asSystem((db) => this.repository.listUsers(db, { limit, cursor: query.cursor, q: query.q }));
    return toPage(
      rows,
      limit,
      (row) => row.id,
      toAdminUser,
    );
  }

  async orgs(query: AdminOrgsQuery): Promise<AdminOrgListResponse> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.tenant.asSystem((db) => this.repository.listOrgs(db, { limit, cursor: query.cursor, q: query.q }));
    return toPage(
      rows,
      limit,
      (row) => row.id,
      (row) => ({
        id: row.id,
        name: row.name,
        // No credit account yet: the organization gets the default grant the first time it uses credits.
        plan: row.plan ?? 'free',
        balance: row.balance === null ? this.config.defaultCredits : Number(row.balance),
        membersCount: row.members_count,
        createdAt: row.created_at.toISOString(),
      }),
    );
  }
}
