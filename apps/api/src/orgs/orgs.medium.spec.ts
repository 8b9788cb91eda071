import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../common/auth/auth-context';
import { newId } from '../common/ids';
import { toPage } from '../common/pagination/page';
import type { TenantDatabase } from '../database/tenant-database';
import { inOneRoundTrip, openTenantTestDatabases, type TenantTestDatabases } from '../../../../test/support/tenant-test-databases';
import { UsersRepository } from '../users/users.repository';
import type { OrgRole } from './membership.entity';
import { OrgsRepository } from './orgs.repository';
import { OrgsService } from './orgs.service';

let databases: TenantTestDatabases;
let owner: DataSource;
let tenant: TenantDatabase;
let service: OrgsService;
const repository = new OrgsRepository();
const [orgA, orgB] = [newId(), newId()];
const membersOfA: string[] = [];
const ROLES: OrgRole[] = ['owner', 'admin', 'member'];
let onlyInB: string;
let inBoth: string;
const pendingOfA: string[] = [];
let pendingOfB: string;
const auth = (orgId: string, userId: string): AuthContext => ({ via: 'jwt', userId, orgId, role: 'member', sessionId: newId(), apiKeyId: null, isPlatformAdmin: false });

async function insertUser(index: number, label: string): Promise<string> {
  const id = newId();
  await owner.query(`INSERT INTO user_account (id, email, name, password_hash) VALUES ($1, $2, $3, 'x')`, [id, `${label}${index}@orgs.test`, `${label} ${index} Ünal`]);
  return id;
}

/** An invitation; `state` decides whether the list shows it (only pending ones are listed). */
async function invite(orgId: string, index: number, state: 'pending' | 'accepted' | 'expired', invitedBy: string | null): Promise<string> {
  const id = newId();
  await owner.query(
    `INSERT INTO invitation (id, org_id, email, role, token_hash, invited_by_user_id, expires_at, accepted_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + $7::interval, $8::timestamptz, $9::timestamptz)`,
    [
      id,
      orgId,
      `invitee${index}.${state}@orgs.test`,
      index % 2 === 0 ? 'member' : 'admin',
      `token-hash-${id}`,
      invitedBy,
      state === 'expired' ? '-1 minute' : '7 days',
      state === 'accepted' ? '2030-02-03 10:00:00+00' : null,
      `2030-02-0${1 + (index % 9)} 08:00:0${index % 10}.123456+00`,
    ],
  );
  return id;
}

async function join(orgId: string, userId: string, role: OrgRole, index: number): Promise<void> {
  await owner.query(`INSERT INTO membership (org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4::timestamptz)`, [
    orgId,
    userId,
    role,
    `2030-02-0${1 + (index % 9)} 12:34:56.789012+00`,
  ]);
}

beforeAll(async () => {
  databases = await openTenantTestDatabases();
  ({ owner, tenant } = databases);
  // Listing members sends no mail.
  service = new OrgsService(tenant, repository, new UsersRepository(), new AuditService(tenant), null as never);
  await owner.query(`INSERT INTO organization (id, name) VALUES ($1, 'A'), ($2, 'B')`, [orgA, orgB]);
  for (let index = 0; index < 9; index++) {
    const userId = await insertUser(index, 'a');
    await join(orgA, userId, ROLES[index % ROLES.length]!, index);
    membersOfA.push(userId);
  }
  onlyInB = await insertUser(0, 'b');
  await join(orgB, onlyInB, 'owner', 0);
  inBoth = membersOfA[4]!;
  await join(orgB, inBoth, 'member', 5);
  for (let index = 0; index < 7; index++) pendingOfA.push(await invite(orgA, index, 'pending', index % 3 === 0 ? null : membersOfA[0]!));
  await invite(orgA, 7, 'accepted', membersOfA[0]!);
  await invite(orgA, 8, 'expired', membersOfA[0]!);
  pendingOfB = await invite(orgB, 0, 'pending', onlyInB);
});

afterAll(async () => {
  await databases?.close();
});

describe('OrgsService.members (GET orgs/current/members)', () => {
  it('answers what the transaction answered, page by page with the same cursor, in one round trip each', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const expected = toPage(await tenant.inOrg(orgA, (db) => repository.listMembers(db, orgA, 4, cursor)), 4, (row) => row.userId, (row) => row);
      const page = await inOneRoundTrip(tenant, () => service.members(auth(orgA, membersOfA[0]!), 4, cursor));
      expect(JSON.stringify(page)).toBe(JSON.stringify(expected));
      seen.push(...page.items.map((member) => member.userId));
      if (!page.nextCursor) break;
      expect(page.nextCursor).toBe(page.items.at(-1)!.userId);
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([...membersOfA].sort());
    const [first] = (await service.members(auth(orgA, membersOfA[0]!), 200)).items.filter((member) => member.userId === membersOfA[1]);
    expect(JSON.parse(JSON.stringify(first))).toEqual({ userId: membersOfA[1], email: 'a1@orgs.test', name: 'a 1 Ünal', role: 'admin', joinedAt: '2030-02-02T12:34:56.789Z' });
  });

  it("lists only the caller's org, with each member's role there", async () => {
    const ofB = await service.members(auth(orgB, onlyInB), 200);
    expect(ofB.items.map((member) => `${member.userId}:${member.role}`).sort()).toEqual([`${onlyInB}:owner`, `${inBoth}:member`].sort());
    const ofA = await service.members(auth(orgA, inBoth), 200);
    expect(ofA.items.map((member) => member.userId)).not.toContain(onlyInB);
    expect(ofA.items.find((member) => member.userId === inBoth)?.role).toBe('admin');
  });
});

describe('OrgsService.current and invitations (GET orgs/current, orgs/current/invitations)', () => {
  it("reads the caller's org in one round trip, with the caller's role", async () => {
    const organization = await inOneRoundTrip(tenant, () => service.current({ ...auth(orgA, membersOfA[1]!), role: 'admin' }));
    expect(organization).toEqual({ id: orgA, name: 'A', role: 'admin', createdAt: expect.any(Date) });
    expect((await service.current(auth(orgB, onlyInB))).name).toBe('B');
  });

  it('lists the pending invitations only, newest first, page by page in one round trip each, never the token hash', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await inOneRoundTrip(tenant, () => service.invitations(auth(orgA, membersOfA[0]!), 3, cursor));
      seen.push(...page.items.map((invitation) => invitation.id));
      if (!page.nextCursor) break;
      expect(page.nextCursor).toBe(page.items.at(-1)!.id);
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([...pendingOfA].reverse());
    const [newest] = (await service.invitations(auth(orgA, membersOfA[0]!), 1)).items;
    expect(Object.keys(newest!).sort()).toEqual(['createdAt', 'email', 'expiresAt', 'id', 'invitedByUserId', 'role']);
    expect(JSON.parse(JSON.stringify(newest))).toEqual({
      id: pendingOfA[6],
      email: 'invitee6.pending@orgs.test',
      role: 'member',
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      createdAt: '2030-02-07T08:00:06.123Z',
      invitedByUserId: null,
    });
    const [second] = (await service.invitations(auth(orgA, membersOfA[0]!), 1, newest!.id)).items;
    expect(second).toMatchObject({ id: pendingOfA[5], email: 'invitee5.pending@orgs.test', role: 'admin', invitedByUserId: membersOfA[0] });
    expect((await service.invitations(auth(orgB, onlyInB), 50)).items.map((invitation) => invitation.id)).toEqual([pendingOfB]);
  });
});
