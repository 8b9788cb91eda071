import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, STRONG_PASSWORD } from '../support/api-client';
import { ownerClient } from '../support/ledger';
import { startMailbox, type Mailbox } from '../support/mailbox';
import { startTestApp, type TestApp } from '../support/test-app';

// The built console (`npm run build:admin`) served by the real API; the browser is Debian's Chromium.
const ADMIN_DIST = resolve('dist/admin/browser');
const SCREENSHOTS = resolve('test/e2e/screenshots');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Receiver {
  url: string;
  hits: Array<{ headers: IncomingHttpHeaders; body: string }>;
  close(): Promise<void>;
}

/** A webhook receiver on 127.0.0.1 (the test app allows private targets) that answers 204. */
async function startReceiver(): Promise<Receiver> {
  const hits: Receiver['hits'] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      hits.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/leadforge`, hits, close: () => new Promise<void>((done) => server.close(() => done())) };
}

describe.skipIf(!existsSync(join(ADMIN_DIST, 'index.html')) || !existsSync(CHROMIUM))('admin console: opt-out, legal, webhooks, platform admin', () => {
  let testApp: TestApp;
  let api: ApiClient;
  let receiver: Receiver;
  let mailbox: Mailbox;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const consoleErrors: string[] = [];
  let current: Page | undefined;

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    mailbox = await startMailbox();
    testApp = await startTestApp({ ADMIN_DIST_DIR: ADMIN_DIST, MAIL_URL: mailbox.url, WEBHOOK_RETRY_BASE_MS: '100' });
    api = new ApiClient(testApp.baseUrl);
    receiver = await startReceiver();
    await api.register('olga@owner.test', 'Olga Owner', 'Owner Works');
    await api.register('root@platform.test', 'Rita Root', 'Platform HQ');
    const client = await ownerClient(testApp.databaseUrl);
    await client.query(`UPDATE user_account SET is_platform_admin = true WHERE email = 'root@platform.test'`);
    await client.end();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  });

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await testApp?.close();
    await mailbox?.close();
  });

  const url = (path: string) => `${testApp.baseUrl}${path}`;
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error') consoleErrors.push(`console: ${message.text()} at ${page.url()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message} at ${page.url()}`));
    current = page;
    return page;
  }

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(url('/login'));
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(STRONG_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  }

  it('public opt-out -> owner legal pages -> webhooks -> platform admin', { timeout: 180_000 }, async ({ onTestFailed }) => {
    onTestFailed(async () => {
      if (current) await shot(current, 'admin-failure');
      throw new Error(`browser errors: ${JSON.stringify(consoleErrors)} at ${current?.url()}`);
    });

    // Public opt-out of a domain, without an account.
    const visitor = await newPage();
    await visitor.goto(url('/opt-out'));
    await visitor.getByRole('heading', { name: 'Opt out' }).waitFor();
    await visitor.getByRole('radio', { name: 'Domain' }).or(visitor.getByRole('button', { name: 'Domain' })).first().click();
    await visitor.getByTestId('opt-out-value').fill('not a domain');
    await visitor.getByRole('button', { name: 'Opt out' }).click();
    await visitor.getByTestId('opt-out-invalid').waitFor();
    await visitor.getByTestId('opt-out-value').fill('optout-e2e.example');
    await shot(visitor, 'admin-01-opt-out');
    await visitor.getByRole('button', { name: 'Opt out' }).click();
    await visitor.getByTestId('opt-out-done').waitFor();
    await shot(visitor, 'admin-02-opt-out-done');

    // An email opt-out takes effect on the mailed link, which lands on the console's confirmation page.
    await visitor.getByRole('button', { name: 'Opt out something else' }).click();
    await visitor.getByRole('radio', { name: 'Email address' }).or(visitor.getByRole('button', { name: 'Email address' })).first().click();
    await visitor.getByTestId('opt-out-value').fill('jane.doe@optout-mail.example');
    await visitor.getByRole('button', { name: 'Opt out' }).click();
    await expect.poll(async () => visitor.getByTestId('opt-out-done').textContent()).toMatch(/confirmation link/i);
    const mail = await mailbox.waitFor((message) => message.to.includes('jane.doe@optout-mail.example'));
    const link = new URL(/https?:\/\/[^\s"<>]+opt-out\/confirm\?token=[\w%-]+/.exec(mail.body)![0]);
    await visitor.goto(url(`${link.pathname}${link.search}`));
    await visitor.getByTestId('opt-out-confirmed').waitFor();
    await shot(visitor, 'admin-03-opt-out-confirmed');

    // An owner: the audit log shows the sign-in, filterable through the URL.
    const owner = await newPage();
    await signIn(owner, 'olga@owner.test');
    const nav = owner.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await nav.getByRole('link', { name: 'Legal' }).click();
    await owner.waitForURL(/\/legal\/audit-log/);
    const auditTable = owner.getByTestId('audit-table');
    await auditTable.waitFor();
    await expect.poll(async () => auditTable.textContent()).toContain('auth.login.succeeded');
    await owner.getByTestId('audit-action').fill('auth.login.');
    await owner.getByTestId('audit-apply').click();
    await owner.waitForURL(/action=auth\.login\./);
    await expect.poll(async () => (await auditTable.locator('tbody tr').allTextContents()).every((row) => row.includes('auth.login.'))).toBe(true);
    await shot(owner, 'admin-04-audit-log');

    // Retention: save a policy and run the cleanup.
    await owner.getByRole('tab', { name: 'Retention' }).click();
    await owner.getByTestId('leads-days').waitFor();
    await owner.getByTestId('leads-days').fill('400');
    await owner.getByTestId('save-retention').click();
    await owner.getByText('Retention policy saved').waitFor();
    await owner.getByTestId('run-cleanup').click();
    await owner.getByTestId('cleanup-result').waitFor();
    await shot(owner, 'admin-05-retention');
    const ownerSession = await api.login('olga@owner.test');
    const policy = await api.json<{ leadsDays: number }>('GET', 'legal/retention/policy', 200, { token: ownerSession.accessToken });
    expect(policy.leadsDays).toBe(400);

    // DSAR: the JSON document downloads.
    await owner.getByRole('tab', { name: 'Data requests' }).click();
    await owner.getByTestId('dsar-email').fill('olga@owner.test');
    const [download] = await Promise.all([owner.waitForEvent('download'), owner.getByTestId('dsar-download').click()]);
    expect(download.suggestedFilename()).toMatch(/^dsar-.*\.json$/);
    const dsar = JSON.parse(await readFile((await download.path())!, 'utf8')) as Record<string, unknown>;
    expect(dsar).toHaveProperty('generatedAt');
    expect(JSON.stringify(dsar['subject'])).toContain('olga@owner.test');
    await owner.getByTestId('dsar-done').waitFor();
    await shot(owner, 'admin-06-dsar');

    // Opt-outs: the domain of the visitor is counted.
    await owner.getByRole('tab', { name: 'Opt-outs' }).click();
    await expect.poll(async () => owner.getByTestId('suppression-counts').textContent()).toMatch(/Email addresses\s*1.*Domains\s*1/);
    await shot(owner, 'admin-07-suppressions');

    // Webhooks: create an endpoint on a loopback receiver, see the secret once, ping, see the delivery.
    await nav.getByRole('link', { name: 'Settings' }).click();
    await owner.getByTestId('webhooks-link').click();
    await owner.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await owner.getByTestId('webhook-url').fill(receiver.url);
    await owner.getByTestId('webhook-create').click();
    const secret = (await owner.getByTestId('secret-value').textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await shot(owner, 'admin-08-webhook-secret');
    await owner.getByTestId('secret-dismiss').click();
    await owner.getByTestId('secret-value').waitFor({ state: 'detached' });
    expect(await owner.getByTestId('webhook-row').textContent()).not.toContain(secret);
    await owner.getByTestId('webhook-ping').click();
    await owner.waitForURL(/\/settings\/webhooks\/[0-9a-f-]{36}$/);
    await expect.poll(async () => owner.getByTestId('delivery-table').locator('tbody').textContent().catch(() => ''), { timeout: 30_000 }).toContain('Succeeded');
    expect(await owner.getByTestId('delivery-table').textContent()).toContain('webhook.ping');
    expect(receiver.hits).toHaveLength(1);
    expect(receiver.hits[0]!.headers['webhook-signature']).toMatch(/^v1,/);
    await expect.poll(async () => owner.getByTestId('deliveries-header').textContent()).toContain(receiver.url);
    await shot(owner, 'admin-09-webhook-deliveries');

    // An owner is not a platform administrator: the admin area sends them home.
    await owner.goto(url('/admin/orgs'));
    await owner.waitForURL((location) => location.pathname === '/');

    // The owner is done; their signed-in tab closes before the suspension below ends its session.
    await owner.context().close();

    // A platform administrator: the overview, organizations with balances, a credit adjustment, users, system health.
    const admin = await newPage();
    await signIn(admin, 'root@platform.test');
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await admin.waitForURL((location) => location.pathname === '/admin');
    const overview = admin.getByTestId('admin-overview');
    await overview.waitFor();
    expect(await overview.locator('[data-card="Users"] strong').textContent()).toBe('2');
    expect(await overview.locator('[data-card="Organizations"] strong').textContent()).toBe('2');
    await admin.getByTestId('admin-queues').waitFor();
    await shot(admin, 'admin-10-overview');
    await admin.getByRole('tab', { name: 'Organizations' }).click();
    await admin.waitForURL(/\/admin\/orgs/);
    const ownerRow = admin.locator('tr[data-org="Owner Works"]');
    await ownerRow.waitFor();
    const before = Number((await ownerRow.getByTestId('org-balance').textContent())!.replace(/\D/g, ''));
    await ownerRow.getByTestId('adjust-credits').click();
    await admin.getByTestId('credit-delta').fill('250');
    await admin.getByTestId('credit-reason').fill('Goodwill credit for the demo');
    await admin.getByTestId('credit-apply').click();
    await expect.poll(async () => Number((await ownerRow.getByTestId('org-balance').textContent())!.replace(/\D/g, ''))).toBe(before + 250);
    await shot(admin, 'admin-11-orgs');
    await admin.getByTestId('admin-org-search').fill('Platform');
    await admin.getByTestId('admin-org-search').press('Enter');
    await expect.poll(async () => admin.getByTestId('admin-orgs-table').locator('tbody tr').count()).toBe(1);
    await admin.reload();
    await admin.locator('tr[data-org="Owner Works"]').waitFor();
    expect(Number((await admin.locator('tr[data-org="Owner Works"]').getByTestId('org-balance').textContent())!.replace(/\D/g, ''))).toBe(before + 250);

    await admin.getByRole('tab', { name: 'Users' }).click();
    const users = admin.getByTestId('admin-users-table');
    await expect.poll(async () => users.locator('tbody tr').count()).toBe(2);
    await admin.getByTestId('admin-user-search').fill('olga');
    await admin.getByTestId('admin-user-search').press('Enter');
    await expect.poll(async () => users.locator('tbody tr').count()).toBe(1);
    expect(await users.textContent()).toContain('Owner Works (Owner)');
    await shot(admin, 'admin-12-users');

    // Suspend the owner through the confirmation dialog; sign-in is refused until reactivation.
    const olgaRow = admin.locator('tr[data-user="olga@owner.test"]');
    await olgaRow.getByTestId('toggle-suspend').click();
    await admin.getByRole('dialog').getByTestId('confirm-ok').click();
    await olgaRow.getByTestId('suspended-chip').waitFor();
    await shot(admin, 'admin-13-user-suspended');
    const refused = await api.request('POST', 'auth/login', { body: { email: 'olga@owner.test', password: STRONG_PASSWORD } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('account_suspended');
    expect(await olgaRow.getByTestId('toggle-suspend').textContent()).toContain('Reactivate');
    await olgaRow.getByTestId('toggle-suspend').click();
    await admin.getByRole('dialog').getByTestId('confirm-ok').click();
    await olgaRow.getByTestId('suspended-chip').waitFor({ state: 'detached' });
    await api.login('olga@owner.test');
    // Your own row cannot be changed.
    await admin.getByTestId('admin-user-search').fill('root');
    await admin.getByTestId('admin-user-search').press('Enter');
    const rootRow = admin.locator('tr[data-user="root@platform.test"]');
    await rootRow.waitFor();
    expect(await rootRow.getByTestId('toggle-suspend').isDisabled()).toBe(true);
    expect(await rootRow.getByTestId('toggle-admin').isDisabled()).toBe(true);

    await admin.getByRole('tab', { name: 'System health' }).click();
    await admin.getByTestId('database-health').waitFor();
    await expect.poll(async () => admin.getByTestId('readiness').textContent()).toContain('Ready to take traffic');
    expect(await admin.getByTestId('database-health').textContent()).toMatch(/PostgreSQL \d+/);
    await shot(admin, 'admin-14-health');

    for (const context of contexts) await context.close();
    expect(consoleErrors).toEqual([]);
  });
});
