import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { PasswordService } from '../auth/password.service';
import { newId } from '../common/ids';
import { TenantDatabase } from '../database/tenant-database';
import { OrgsRepository } from '../orgs/orgs.repository';
import { normalizeEmail, UsersRepository } from './users.repository';

export interface AdminRequest {
  email: string;
  name?: string;
  /** Needed only when the account does not exist yet. */
  password?: () => Promise<string>;
}

export type AdminOutcome = { kind: 'promoted'; userId: string } | { kind: 'already_admin'; userId: string } | { kind: 'created'; userId: string; orgId: string };

/**
 * Makes an account a platform administrator, creating it (verified, with an org of its own) when
 * the address is new. The only way to get the first admin: there is no default account.
 */
export async function createOrPromoteAdmin(dataSource: DataSource, request: AdminRequest): Promise<AdminOutcome> {
  const tenant = new TenantDatabase(dataSource);
  const users = new UsersRepository();
  const orgs = new OrgsRepository();
  const audit = new AuditService(tenant);
  const passwords = new PasswordService();
  const email = normalizeEmail(request.email);

  const existing = await tenant.run({}, (db) => users.findByEmail(db, email));
  if (existing) {
    if (existing.isPlatformAdmin) return { kind: 'already_admin', userId: existing.id };
    await tenant.run(existing.currentOrgId ? { orgId: existing.currentOrgId } : { system: true }, async (db) => {
      await users.update(db, existing.id, { isPlatformAdmin: true });
      await audit.record(db, { action: 'admin.platform_admin_granted', orgId: existing.currentOrgId, target: { type: 'user', id: existing.id }, metadata: { via: 'cli' } });
    });
    return { kind: 'promoted', userId: existing.id };
  }

  if (!request.password) throw new Error(`no account for ${email}: a password is needed to create it`);
  const name = (request.name ?? email.split('@')[0]!).trim().slice(0, 100);
  const password = await request.password();
  passwords.assertAcceptable(password, 'password', [email, name]);
  const passwordHash = await passwords.hash(password);
  const userId = newId();
  const orgId = newId();
  await tenant.run({ orgId, userId }, async (db) => {
    await orgs.insertOrganization(db, orgId, `${name}'s organization`);
    await users.insert(db, { id: userId, email, name, passwordHash, currentOrgId: orgId, isPlatformAdmin: true, emailVerifiedAt: new Date() });
    await orgs.insertMembership(db, orgId, userId, 'owner');
    await audit.record(db, { action: 'admin.platform_admin_granted', orgId, target: { type: 'user', id: userId }, metadata: { via: 'cli', created: true } });
  });
  return { kind: 'created', userId, orgId };
}
