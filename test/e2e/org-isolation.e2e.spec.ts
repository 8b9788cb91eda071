import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, problemOf, type Session } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Org isolation: a caller of org A gets 404 for every id of org B, through every endpoint that
 * takes an id. The caller is A's owner, who holds every org right, so a 404 can only come from
 * tenant scoping (a plain member meets the role check, a 403 for any id, before any lookup).
 *
 * Adding an endpoint with an id? Create the org-B resource in `createOrgB`, add its id to
 * `OrgB`, and add a row to ENDPOINTS_TAKING_AN_ID. The last test fails while an id-taking
 * operation of the OpenAPI document has no row here.
 */
interface OrgB {
  ownerId: string;
  memberId: string;
  sessionId: string;
  invitationId: string;
  apiKeyId: string;
  taskId: string;
  leadId: string;
  webhookId: string;
  webhookDeliveryId: string;
}

interface Row {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** As in the OpenAPI document. */
  path: string;
  params: (b: OrgB) => Record<string, string>;
  body?: unknown;
}

const ENDPOINTS_TAKING_AN_ID: Row[] = [
  { method: 'DELETE', path: '/api/v1/auth/sessions/{id}', params: (b) => ({ id: b.sessionId }) },
  { method: 'PATCH', path: '/api/v1/orgs/current/members/{userId}', params: (b) => ({ userId: b.memberId }), body: { role: 'admin' } },
  { method: 'PATCH', path: '/api/v1/orgs/current/members/{userId}', params: (b) => ({ userId: b.ownerId }), body: { role: 'member' } },
  { method: 'DELETE', path: '/api/v1/orgs/current/members/{userId}', params: (b) => ({ userId: b.memberId }) },
  { method: 'DELETE', path: '/api/v1/orgs/current/members/{userId}', params: (b) => ({ userId: b.ownerId }) },
  { method: 'DELETE', path: '/api/v1/orgs/current/invitations/{id}', params: (b) => ({ id: b.invitationId }) },
  { method: 'DELETE', path: '/api/v1/api-keys/{id}', params: (b) => ({ id: b.apiKeyId }) },
  { method: 'GET', path: '/api/v1/scraper/status/{taskId}', params: (b) => ({ taskId: b.taskId }) },
  { method: 'POST', path: '/api/v1/scraper/stop/{taskId}', params: (b) => ({ taskId: b.taskId }) },
  { method: 'POST', path: '/api/v1/scraper/pause/{taskId}', params: (b) => ({ taskId: b.taskId }) },
  { method: 'POST', path: '/api/v1/scraper/resume/{taskId}', params: (b) => ({ taskId: b.taskId }) },
  { method: 'GET', path: '/api/v1/tasks/{id}', params: (b) => ({ id: b.taskId }) },
  { method: 'GET', path: '/api/v1/tasks/{id}/events', params: (b) => ({ id: b.taskId }) },
  { method: 'GET', path: '/api/v1/leads/{id}', params: (b) => ({ id: b.leadId }) },
  { method: 'PATCH', path: '/api/v1/leads/{id}', params: (b) => ({ id: b.leadId }), body: { status: 'qualified' } },
  { method: 'DELETE', path: '/api/v1/leads/{id}', params: (b) => ({ id: b.leadId }) },
  { method: 'POST', path: '/api/v1/leads/{id}/restore', params: (b) => ({ id: b.leadId }) },
  { method: 'GET', path: '/api/v1/webhooks/{id}', params: (b) => ({ id: b.webhookId }) },
  { method: 'PATCH', path: '/api/v1/webhooks/{id}', params: (b) => ({ id: b.webhookId }), body: { enabled: false } },
  { method: 'DELETE', path: '/api/v1/webhooks/{id}', params: (b) => ({ id: b.webhookId }) },
  { method: 'POST', path: '/api/v1/webhooks/{id}/rotate-secret', params: (b) => ({ id: b.webhookId }), body: {} },
  { method: 'GET', path: '/api/v1/webhooks/{id}/deliveries', params: (b) => ({ id: b.webhookId }) },
  { method: 'POST', path: '/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', params: (b) => ({ id: b.webhookId, deliveryId: b.webhookDeliveryId }) },
  { method: 'POST', path: '/api/v1/webhooks/{id}/ping', params: (b) => ({ id: b.webhookId }) },
];

/** Operations with a path parameter that is not the id of an org's resource, and why. */
const NOT_ORG_RESOURCES: Array<{ method: string; path: string; reason: string }> = [
  { method: 'POST', path: '/api/v1/admin/orgs/{id}/credits', reason: 'platform administrators act on any organization by design' },
  { method: 'PATCH', path: '/api/v1/admin/users/{id}', reason: 'platform administrators act on any account by design (tested in admin-platform.e2e)' },
  {
    method: 'DELETE',
    path: '/api/v1/legal/opt-out/{profileUrl}',
    reason: 'the opt-out list is global (keyed hashes, no org): the parameter is a profile URL, not the id of any org\'s resource (tested in legal-opt-out.e2e)',
  },
];

let testApp: TestApp;
let api: ApiClient;
let ownerA: Session;
let orgB: OrgB;
let ownerB: Session;

const sessionIdOf = (session: Session): string => (JSON.parse(Buffer.from(session.accessToken.split('.')[1]!, 'base64url').toString('utf8')) as { sid: string }).sid;

async function createOrgB(): Promise<OrgB> {
  await api.register('owner@org-b.test', 'Bea Owner', 'Org B');
  ownerB = await api.login('owner@org-b.test');
  const invitation = await api.json<{ id: string }>('POST', 'orgs/current/invitations', 201, { token: ownerB.accessToken, body: { email: 'invitee@org-b.test', role: 'member' } });
  const apiKey = await api.json<{ id: string }>('POST', 'api-keys', 201, { token: ownerB.accessToken, body: { name: 'B key' } });
  const { task } = await api.json<{ task: { id: string } }>('POST', 'scraper/start', 202, {
    token: ownerB.accessToken,
    body: { platform: 'website', seeds: ['https://org-b-task.invalid/'], options: { maxPages: 1 } },
  });
  const webhook = await api.json<{ id: string }>('POST', 'webhooks', 201, { token: ownerB.accessToken, body: { url: 'http://127.0.0.1:9/org-b-hook', events: ['task.completed'] } });
  const ping = await api.json<{ id: string }>('POST', `webhooks/${webhook.id}/ping`, 202, { token: ownerB.accessToken });
  const member = await api.register('member@org-b.test', 'Ben Member');
  // Joined directly in the database: the invitation flow has its own tests (identity-orgs).
  const database = new Client({ connectionString: testApp.databaseOwnerUrl });
  await database.connect();
  const leadId = '0190a000-0000-7000-8000-00000000b001';
  try {
    await database.query(`INSERT INTO membership (org_id, user_id, role) VALUES ($1, $2, 'member')`, [ownerB.user.organization.id, member.user.id]);
    // A soft-deleted lead too would do for restore; a live one shows every endpoint hides it.
    await database.query(`INSERT INTO lead (id, org_id, kind, dedup_key, full_name) VALUES ($1, $2, 'person', 'e:b@org-b.test', 'Bea Lead')`, [leadId, ownerB.user.organization.id]);
  } finally {
    await database.end();
  }
  return { ownerId: ownerB.user.id, memberId: member.user.id, sessionId: sessionIdOf(ownerB), invitationId: invitation.id, apiKeyId: apiKey.id, taskId: task.id, leadId, webhookId: webhook.id, webhookDeliveryId: ping.id };
}

beforeAll(async () => {
  testApp = await startTestApp();
  api = new ApiClient(testApp.baseUrl);
  await api.register('owner@org-a.test', 'Abe Owner', 'Org A');
  ownerA = await api.login('owner@org-a.test');
  orgB = await createOrgB();
});

afterAll(async () => {
  await testApp?.close();
});

const fill = (path: string, params: Record<string, string>): string =>
  path.replace(/^\/api\/v1\//, '').replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (!value) throw new Error(`no value for {${name}} in ${path}`);
    return encodeURIComponent(value);
  });

describe('org isolation', () => {
  const label = (row: Row): string => `${row.method} ${row.path} ${row.body ? JSON.stringify(row.body) : ''}`;
  it.each(ENDPOINTS_TAKING_AN_ID.map((row, index) => [`#${index + 1} ${label(row)}`, row] as const))(
    '%s answers 404 for an id of another org',
    async (_, row) => {
      const response = await api.request(row.method, fill(row.path, row.params(orgB)), { token: ownerA.accessToken, body: row.body });
      expect(response.status).toBe(404);
      const problem = await problemOf(response);
      expect(problem.code).toBe('not_found');
    },
  );

  it('left every resource of org B as it was', async () => {
    const members = await api.json<{ items: Array<{ userId: string; role: string }> }>('GET', 'orgs/current/members', 200, { token: ownerB.accessToken });
    expect(members.items.map((member) => `${member.userId}:${member.role}`).sort()).toEqual([`${orgB.ownerId}:owner`, `${orgB.memberId}:member`].sort());
    const invitations = await api.json<{ items: Array<{ id: string }> }>('GET', 'orgs/current/invitations', 200, { token: ownerB.accessToken });
    expect(invitations.items.map((invitation) => invitation.id)).toContain(orgB.invitationId);
    const keys = await api.json<{ items: Array<{ id: string }> }>('GET', 'api-keys', 200, { token: ownerB.accessToken });
    expect(keys.items.map((key) => key.id)).toEqual([orgB.apiKeyId]);
    await api.json('GET', 'auth/me', 200, { token: ownerB.accessToken });
    const lead = await api.json<{ status: string; deletedAt: string | null }>('GET', `leads/${orgB.leadId}`, 200, { token: ownerB.accessToken });
    expect(lead).toMatchObject({ status: 'new', deletedAt: null });
    const webhooks = await api.json<{ items: Array<{ id: string; enabled: boolean }> }>('GET', 'webhooks', 200, { token: ownerB.accessToken });
    expect(webhooks.items).toEqual([expect.objectContaining({ id: orgB.webhookId, enabled: true })]);
    const deliveries = await api.json<{ items: Array<{ id: string }> }>('GET', `webhooks/${orgB.webhookId}/deliveries`, 200, { token: ownerB.accessToken });
    expect(deliveries.items.map((delivery) => delivery.id)).toEqual([orgB.webhookDeliveryId]);
    const tasks = await api.json<{ items: Array<{ id: string }> }>('GET', 'tasks', 200, { token: ownerB.accessToken });
    expect(tasks.items.map((task) => task.id)).toEqual([orgB.taskId]);
    await api.json('GET', `tasks/${orgB.taskId}`, 200, { token: ownerB.accessToken });
    const events = await api.json<{ items: Array<{ taskId: string; seq: number }> }>('GET', `tasks/${orgB.taskId}/events`, 200, { token: ownerB.accessToken });
    expect(events.items[0]).toMatchObject({ taskId: orgB.taskId, seq: 1 });
  });

  it('lists only the caller’s own org everywhere', async () => {
    const members = await api.json<{ items: Array<{ userId: string }> }>('GET', 'orgs/current/members', 200, { token: ownerA.accessToken });
    expect(members.items.map((member) => member.userId)).toEqual([ownerA.user.id]);
    expect((await api.json<{ items: unknown[] }>('GET', 'orgs/current/invitations', 200, { token: ownerA.accessToken })).items).toEqual([]);
    expect((await api.json<{ items: unknown[] }>('GET', 'api-keys', 200, { token: ownerA.accessToken })).items).toEqual([]);
    expect((await api.json<{ items: unknown[] }>('GET', 'webhooks', 200, { token: ownerA.accessToken })).items).toEqual([]);
    expect((await api.json<{ items: unknown[] }>('GET', 'tasks', 200, { token: ownerA.accessToken })).items).toEqual([]);
    expect((await api.json<{ items: unknown[] }>('GET', 'scraper/tasks', 200, { token: ownerA.accessToken })).items).toEqual([]);
    const sessions = await api.json<{ items: Array<{ id: string }> }>('GET', 'auth/sessions', 200, { token: ownerA.accessToken });
    expect(sessions.items.map((session) => session.id)).not.toContain(orgB.sessionId);
  });

  it('enumerates every operation of the API that takes an id', async () => {
    const spec = (await (await fetch(`${testApp.baseUrl}/api/docs/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const covered = new Set(ENDPOINTS_TAKING_AN_ID.map((row) => `${row.method} ${row.path}`));
    const excluded = new Set(NOT_ORG_RESOURCES.map((row) => `${row.method} ${row.path}`));
    const missing: string[] = [];
    for (const [path, item] of Object.entries(spec.paths)) {
      if (!path.includes('{')) continue;
      for (const method of Object.keys(item)) {
        const key = `${method.toUpperCase()} ${path}`;
        if (!covered.has(key) && !excluded.has(key)) missing.push(key);
      }
    }
    expect(missing, 'add these operations to ENDPOINTS_TAKING_AN_ID (or NOT_ORG_RESOURCES with a reason)').toEqual([]);
  });
});
