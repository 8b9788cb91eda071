import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, problemOf, type Session } from '../support/api-client';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { startMailbox, type Mailbox } from '../support/mailbox';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Opt-out end to end: an email (confirmed through the mailed link), a profile URL and a domain
 * are purged from stored leads of two orgs, are skipped by a new crawl of a site that shows them,
 * and exist in the database only as keyed hashes.
 */

const EMAIL = 'erin.walsh@optout-corp.com';
const PROFILE = 'https://www.linkedin.com/in/paula-brandt/';
const DOMAIN = 'banned-partner.com';
/** Every spelling of the opted-out values that must never appear in the opt-out tables or the queue. */
const PLAINTEXT = ['erin.walsh', 'optout-corp', 'paula-brandt', 'banned-partner', 'dan@'];

let testApp: TestApp;
let api: ApiClient;
let mailbox: Mailbox;
let site: FixtureServer;
let ownerA: Session;
let ownerB: Session;
let memberA: Session;
let db: Client;
let clientSeq = 0;

/** Each public call from its own client address (TRUST_PROXY), except where the limit is the point. */
const fromNewClient = (): Record<string, string> => ({ 'x-forwarded-for': `198.51.100.${(clientSeq += 1)}` });

const card = (name: string, role: string, email: string | null, linkedin: string | null): string =>
  `<div class="team-card"><h3 class="name">${name}</h3><p class="role">${role}</p><div class="links">${email ? `<a class="email" href="mailto:${email}">Email ${name.split(' ')[0]}</a> ` : ''}${linkedin ? `<a class="social" href="${linkedin}" aria-label="LinkedIn">in</a>` : ''}</div></div>`;

const TEAM_PAGE = `<!doctype html><html lang="en"><head><title>Team | Optout Test Corp</title></head><body><h1>Meet the team</h1><div class="team-grid">
${card('Erin Walsh', 'Head of Marketing', EMAIL, null)}
${card('Paula Brandt', 'VP of Sales', null, PROFILE)}
${card('Dan Fischer', 'Chief Financial Officer', `dan@${DOMAIN}`, null)}
${card('Kim Keeper', 'Engineering Manager', 'kim.keeper@optout-corp.com', 'https://www.linkedin.com/in/kim-keeper/')}
</div></body></html>`;

interface SeedLead {
  key: string;
  kind?: 'person' | 'company';
  email?: string;
  profileUrl?: string;
  socials?: Record<string, string>;
  companyDomain?: string;
  website?: string;
}

async function seedLeads(orgId: string, leads: SeedLead[]): Promise<void> {
  for (const lead of leads) {
    await db.query(
      `INSERT INTO lead (id, org_id, kind, dedup_key, full_name, email, profile_url, socials, company_domain, website)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [orgId, lead.kind ?? 'person', lead.key, lead.key, lead.email ?? null, lead.profileUrl ?? null, JSON.stringify(lead.socials ?? {}), lead.companyDomain ?? null, lead.website ?? null],
    );
  }
}

async function keysOf(orgId: string): Promise<string[]> {
  return (await db.query(`SELECT dedup_key FROM lead WHERE org_id = $1 ORDER BY dedup_key`, [orgId])).rows.map((row) => row.dedup_key as string);
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  mailbox = await startMailbox();
  site = await startFixtureServer({ robotsTxt: 'User-agent: *\nAllow: /\n', routes: { '/': TEAM_PAGE } });
  testApp = await startTestApp({ MAIL_URL: mailbox.url, TRUST_PROXY: 'true', DEFAULT_CREDITS: '1000' });
  api = new ApiClient(testApp.baseUrl);
  db = new Client({ connectionString: testApp.databaseOwnerUrl });
  await db.connect();
  await api.register('owner@legal-a.test', 'Ana Owner', 'Legal A');
  await api.register('owner@legal-b.test', 'Bo Owner', 'Legal B');
  const member = await api.register('member@legal-a.test', 'Max Member');
  ownerA = await api.login('owner@legal-a.test');
  ownerB = await api.login('owner@legal-b.test');
  await db.query(`INSERT INTO membership (org_id, user_id, role) VALUES ($1, $2, 'member')`, [ownerA.user.organization.id, member.user.id]);
  await db.query(`UPDATE user_account SET current_org_id = $1 WHERE id = $2`, [ownerA.user.organization.id, member.user.id]);
  memberA = await api.login('member@legal-a.test');
  expect(memberA.user.organization).toMatchObject({ id: ownerA.user.organization.id, role: 'member' });
});

afterAll(async () => {
  await db?.end();
  await testApp?.close();
  await site?.close();
  await mailbox?.close();
});

describe('opt-out', () => {
  it('refuses anything but exactly one valid value, and shared mail providers as domains', async () => {
    for (const body of [{}, { email: EMAIL, domain: DOMAIN }, { profileUrl: 'ftp://x.example/in/a' }, { domain: 'co.uk' }, { email: 'not-an-address' }]) {
      const response = await api.request('POST', 'legal/opt-out', { body, headers: fromNewClient() });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await problemOf(response)).code).toBe('validation_failed');
    }
    const gmail = await api.request('POST', 'legal/opt-out', { body: { domain: 'gmail.com' }, headers: fromNewClient() });
    expect(gmail.status).toBe(422);
    expect((await problemOf(gmail)).code).toBe('opt_out_domain_not_allowed');
  });

  it('is strictly rate-limited per client', async () => {
    const headers = { 'x-forwarded-for': '203.0.113.77' };
    const statuses: number[] = [];
    for (let index = 0; index < 6; index += 1) statuses.push((await api.request('POST', 'legal/opt-out', { body: { email: `limit${index}@nowhere.example` }, headers })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
  });

  it('purges an email (after confirmation), a profile URL and a domain from two orgs, stores only hashes, and a new crawl skips them', async () => {
    const orgA = ownerA.user.organization.id;
    const orgB = ownerB.user.organization.id;
    await seedLeads(orgA, [
      { key: 'a-email', email: 'Erin.Walsh@optout-corp.com' },
      { key: 'a-profile', profileUrl: 'https://linkedin.com/in/paula-brandt' },
      { key: 'a-domain', email: `dan@${DOMAIN}` },
      { key: 'a-keep', email: 'kim.keeper@optout-corp.com', socials: { linkedin: 'https://www.linkedin.com/in/kim-keeper' } },
    ]);
    await seedLeads(orgB, [
      { key: 'b-email', email: EMAIL, profileUrl: 'https://github.com/erinw' },
      { key: 'b-profile', email: 'paula@elsewhere.example', socials: { linkedin: 'https://de.linkedin.com/in/Paula-Brandt?trk=abc' } },
      { key: 'b-domain', kind: 'company', companyDomain: DOMAIN, website: `https://www.${DOMAIN}/` },
      { key: 'b-subdomain', email: `someone@mail.${DOMAIN}` },
      { key: 'b-keep', email: 'jo@keep.example', website: 'https://keep.example/' },
    ]);

    // Email: nothing happens until the mailed link is confirmed; the answer says nothing about leads.
    const pendingBefore = (await db.query(`SELECT count(*)::int AS n FROM opt_out_request`)).rows[0].n as number;
    const requested = await api.json<{ status: string; kind: string; message: string }>('POST', 'legal/opt-out', 202, { body: { email: EMAIL }, headers: fromNewClient() });
    const unknown = await api.json<{ status: string; message: string }>('POST', 'legal/opt-out', 202, { body: { email: 'nobody.at.all@unknown.example' }, headers: fromNewClient() });
    expect(requested).toEqual({ status: 'confirmation_sent', kind: 'email', message: unknown.message });
    expect(unknown.status).toBe('confirmation_sent');
    // Asked again at once: the same answer, no second pending request (no mail bombing).
    await api.json('POST', 'legal/opt-out', 202, { body: { email: ' ERIN.WALSH@optout-corp.com ' }, headers: fromNewClient() });
    expect((await db.query(`SELECT count(*)::int AS n FROM opt_out_request`)).rows[0].n).toBe(pendingBefore + 2);
    expect(await keysOf(orgA)).toContain('a-email');
    expect((await db.query(`SELECT count(*)::int AS n FROM suppression`)).rows[0].n).toBe(0);

    const mail = await mailbox.waitFor((message) => message.to.includes(EMAIL));
    expect(mail.subject).toBe('Confirm your opt-out from Leadforge');
    const token = /opt-out\/confirm\?token=([A-Za-z0-9_-]+)/.exec(mail.body)?.[1];
    expect(token).toBeDefined();
    const confirmed = await api.json<{ status: string }>('POST', 'legal/opt-out/confirm', 200, { body: { token }, headers: fromNewClient() });
    expect(confirmed.status).toBe('suppressed');
    const reused = await api.request('POST', 'legal/opt-out/confirm', { body: { token }, headers: fromNewClient() });
    expect(reused.status).toBe(400);
    expect((await problemOf(reused)).code).toBe('invalid_or_expired_token');

    // Profile URL and domain: at once, whatever the spelling.
    expect(await api.json('POST', 'legal/opt-out', 202, { body: { profileUrl: 'https://de.linkedin.com/in/Paula-Brandt/?trk=abc#x' }, headers: fromNewClient() })).toMatchObject({
      status: 'suppressed',
      kind: 'profile_url',
    });
    expect(await api.json('POST', 'legal/opt-out', 202, { body: { domain: `https://WWW.${DOMAIN.toUpperCase()}/contact` }, headers: fromNewClient() })).toMatchObject({
      status: 'suppressed',
      kind: 'domain',
    });

    await waitFor(async () => (await keysOf(orgA)).length === 1 && (await keysOf(orgB)).length === 1, 'the purge of both orgs');
    expect(await keysOf(orgA)).toEqual(['a-keep']);
    expect(await keysOf(orgB)).toEqual(['b-keep']);

    // One audit row per org and opt-out, with counts only.
    await waitFor(async () => (await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'legal.opt_out.purged'`)).rows[0].n === 6, 'purge audit rows');
    const purged = await db.query(`SELECT org_id, metadata FROM audit_log WHERE action = 'legal.opt_out.purged' ORDER BY org_id, metadata->>'kind'`);
    const byOrg = (orgId: string): Record<string, number> =>
      Object.fromEntries(purged.rows.filter((row) => row.org_id === orgId).map((row) => [row.metadata.kind, row.metadata.leadsDeleted]));
    expect(byOrg(orgA)).toEqual({ email: 1, profile_url: 1, domain: 1 });
    expect(byOrg(orgB)).toEqual({ email: 1, profile_url: 1, domain: 2 });

    // No plaintext: every column of every row of the opt-out tables, the audit log and the queue.
    const suppressions = await db.query(`SELECT kind, octet_length(value_hash) AS bytes FROM suppression ORDER BY kind`);
    expect(suppressions.rows).toEqual([
      { kind: 'domain', bytes: 32 },
      { kind: 'email', bytes: 32 },
      { kind: 'profile_url', bytes: 32 },
    ]);
    const dumps = [
      ...(await db.query(`SELECT row_to_json(s)::text || encode(s.value_hash, 'escape') AS dump FROM suppression s`)).rows,
      ...(await db.query(`SELECT row_to_json(r)::text || encode(r.value_hash, 'escape') AS dump FROM opt_out_request r`)).rows,
      ...(await db.query(`SELECT row_to_json(a)::text AS dump FROM audit_log a WHERE action LIKE 'legal.%'`)).rows,
      ...(await db.query(`SELECT coalesce(data::text, '') || coalesce(output::text, '') AS dump FROM pgboss.job WHERE name LIKE 'legal.%' OR name = 'email.send'`)).rows,
    ].map((row) => (row.dump as string).toLowerCase());
    expect(dumps.length).toBeGreaterThan(8);
    for (const value of PLAINTEXT) {
      expect(dumps.filter((dump) => dump.includes(value)), `"${value}" stored in plaintext`).toEqual([]);
    }

    // A new crawl of a site that shows all three: they are counted as suppressed, never stored.
    const { task } = await api.json<{ task: { id: string } }>('POST', 'scraper/start', 202, {
      token: ownerA.accessToken,
      body: { platform: 'website', seeds: [site.url('/')], options: { maxPages: 1, maxDepth: 0, delayMs: 0 } },
    });
    let done: { status: string; progress: { suppressed: number; leadsStored: number } } | undefined;
    await waitFor(async () => {
      done = await api.json('GET', `tasks/${task.id}`, 200, { token: ownerA.accessToken });
      return ['completed', 'failed', 'cancelled', 'timed_out'].includes(done!.status);
    }, 'the crawl');
    expect(done!.status).toBe('completed');
    expect(done!.progress.suppressed).toBe(3);
    const emails = (await db.query(`SELECT email, full_name FROM lead WHERE org_id = $1 AND task_id = $2`, [orgA, task.id])).rows;
    expect(emails.map((row) => row.full_name).filter(Boolean).sort()).toEqual(['Kim Keeper']);
    const stored = (await db.query(`SELECT row_to_json(l)::text AS dump FROM lead l WHERE org_id = $1`, [orgA])).rows.map((row) => row.dump.toLowerCase());
    expect(stored.filter((dump) => dump.includes('erin.walsh') || dump.includes('paula-brandt') || dump.includes('banned-partner'))).toEqual([]);
  });

  it('shows counts to org admins and entries to platform admins; an org admin can withdraw a profile URL (audited)', async () => {
    const counts = await api.json<{ counts: Record<string, number>; items: unknown[]; nextCursor: string | null }>('GET', 'legal/suppressions', 200, { token: ownerA.accessToken });
    expect(counts).toEqual({ counts: { email: 1, profileUrl: 1, domain: 1, total: 3 }, items: [], nextCursor: null });
    expect((await api.request('GET', 'legal/suppressions', { token: memberA.accessToken })).status).toBe(403);

    await db.query(`UPDATE user_account SET is_platform_admin = true WHERE id = $1`, [ownerB.user.id]);
    const first = await api.json<{ items: Array<{ id: string; kind: string; hash: string; createdAt: string }>; nextCursor: string | null }>('GET', 'legal/suppressions?limit=2', 200, {
      token: ownerB.accessToken,
    });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await api.json<{ items: Array<{ kind: string; hash: string }>; nextCursor: string | null }>('GET', `legal/suppressions?limit=2&cursor=${first.nextCursor}`, 200, {
      token: ownerB.accessToken,
    });
    expect(second.nextCursor).toBeNull();
    const all = [...first.items, ...second.items];
    expect(all.map((item) => item.kind).sort()).toEqual(['domain', 'email', 'profile_url']);
    for (const item of all) expect(item.hash).toMatch(/^[0-9a-f]{64}$/);

    const path = `legal/opt-out/${encodeURIComponent('https://www.linkedin.com/in/paula-brandt')}`;
    expect((await api.request('DELETE', path, { token: memberA.accessToken })).status).toBe(403);
    expect((await api.request('DELETE', path)).status).toBe(401);
    const removed = await api.request('DELETE', path, { token: ownerA.accessToken });
    expect(removed.status).toBe(204);
    const again = await api.request('DELETE', path, { token: ownerA.accessToken });
    expect(again.status).toBe(404);
    expect((await problemOf(again)).code).toBe('not_found');
    const withdrawn = await db.query(`SELECT org_id, actor_user_id, target_type, metadata FROM audit_log WHERE action = 'legal.opt_out.withdrawn'`);
    expect(withdrawn.rows).toEqual([{ org_id: ownerA.user.organization.id, actor_user_id: ownerA.user.id, target_type: 'suppression', metadata: { kind: 'profile_url' } }]);
    expect((await api.json<{ counts: Record<string, number> }>('GET', 'legal/suppressions', 200, { token: ownerA.accessToken })).counts).toEqual({
      email: 1,
      profileUrl: 0,
      domain: 1,
      total: 2,
    });
  });
});
