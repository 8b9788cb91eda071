import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { startMailbox, type Mailbox } from '../support/mailbox';
import { startTestApp, type TestApp } from '../support/test-app';

// The built console (`npm run build:admin`) served by the real API; the browser is Debian's Chromium.
const ADMIN_DIST = resolve('dist/admin/browser');
const SCREENSHOTS = resolve('test/e2e/screenshots');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Minimal RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}

describe.skipIf(!existsSync(join(ADMIN_DIST, 'index.html')) || !existsSync(CHROMIUM))('admin console in Chromium', () => {
  let mailbox: Mailbox;
  let testApp: TestApp;
  let site: FixtureServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    mailbox = await startMailbox();
    testApp = await startTestApp({ MAIL_URL: mailbox.url, ADMIN_DIST_DIR: ADMIN_DIST, REQUIRE_EMAIL_VERIFICATION: 'true' });
    site = await startFixtureServer({ root: resolve('test/fixtures/sites/northwind-analytics'), robotsTxt: 'User-agent: *\nAllow: /\n', delayMs: 300 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    const record = (message: string) => consoleErrors.push(message);
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error') record(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => record(`pageerror: ${error.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await testApp?.close();
    await mailbox?.close();
  });

  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const url = (path: string) => `${testApp.baseUrl}${path}`;

  it('register -> verify -> login -> scrape live to 100% -> leads -> filter -> CSV export -> logout', { timeout: 180_000 }, async ({ onTestFailed }) => {
    onTestFailed(async () => {
      await shot('failure');
      throw new Error(`browser errors: ${JSON.stringify(consoleErrors)} at ${page.url()}`);
    });
    const email = `ada-${Date.now()}@example.com`;
    const password = 'Correct-Horse-Battery-42';

    // Register.
    await page.goto(url('/register'));
    await shot('01-register');
    await page.getByLabel('Full name').fill('Ada Lovelace');
    await page.getByLabel('Work email').fill(email);
    await page.getByLabel('Organization (optional)').fill('Analytical Engines');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('register-done').waitFor();

    // Verify through the link of the email the SMTP server received.
    const mail = await mailbox.waitFor((message) => message.to.includes(email) && /confirm|verify/i.test(message.subject));
    const link = new URL(/https?:\/\/[^\s"<>]+verify-email\?token=[\w%-]+/.exec(mail.body)![0]);
    await page.goto(url(`${link.pathname}${link.search}`));
    await page.getByTestId('verified').waitFor();
    await shot('02-verified');

    // Log in.
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL(/\/login/);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await shot('03-login');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByTestId('kpis').waitFor();
    await shot('04-dashboard-empty');

    // New scrape with a live estimate.
    await page.getByRole('link', { name: 'New scrape' }).first().click();
    await page.getByRole('heading', { name: 'New scrape' }).waitFor();
    await page.getByTestId('seeds').fill(`${site.url('/')}\nftp://nope.example.com`);
    await page.getByTestId('seed-problems').waitFor();
    await page.getByTestId('seeds').fill(site.url('/'));
    await page.getByTestId('max-pages').fill('10');
    await expect.poll(async () => page.getByTestId('estimate').textContent(), { timeout: 10_000 }).toContain('10 credits');
    await shot('05-new-scrape');
    await page.getByTestId('start-scrape').click();

    // Task view: progress reaches 100% through live events, without reloading the page.
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    const percents = new Set<string>();
    const deadline = Date.now() + 90_000;
    let shotRunning = false;
    while (Date.now() < deadline) {
      const percent = (await page.getByTestId('progress-percent').textContent())?.trim() ?? '';
      percents.add(percent);
      if (!shotRunning && percent !== '0%' && percent !== '100%') {
        await shot('06-task-running');
        shotRunning = true;
      }
      if (percent === '100%' && (await page.getByTestId('task-status').textContent())?.includes('Completed')) break;
      await page.waitForTimeout(100);
    }
    expect(percents.has('100%')).toBe(true);
    expect([...percents].some((value) => value !== '100%')).toBe(true);
    await page.getByTestId('live-leads').waitFor();
    const liveRows = await page.getByTestId('live-leads').locator('tbody tr').count();
    expect(liveRows).toBeGreaterThan(0);
    await shot('07-task-completed');

    // Leads of the task, then a full-text filter.
    await page.getByTestId('view-leads').click();
    await page.waitForURL(/\/leads\?taskId=/);
    const rows = page.getByTestId('leads-table').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(1);
    const unfiltered = await rows.count();
    await shot('08-leads');
    await page.getByTestId('lead-search').fill('maya');
    await page.getByTestId('apply-filters').click();
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeLessThan(unfiltered);
    const filtered = await rows.count();
    expect(filtered).toBeGreaterThan(0);
    await expect.poll(async () => (await page.getByTestId('leads-table').textContent())?.toLowerCase() ?? '').toContain('maya');

    // Detail drawer.
    await rows.first().click();
    await page.getByTestId('lead-drawer').getByRole('heading', { name: 'Confidence' }).waitFor();
    await shot('09-lead-drawer');
    await page.keyboard.press('Escape');

    // Export the filtered leads as CSV: the file downloads and parses, with the filtered rows only.
    await page.getByTestId('export-menu').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = parseCsv((await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '')).filter((row) => row.some((cell) => cell !== ''));
    const [header, ...records] = csv;
    expect(header).toEqual(expect.arrayContaining(['id', 'fullName', 'email', 'confidence']));
    expect(records).toHaveLength(filtered);
    const emailColumn = header!.indexOf('email');
    expect(records.some((record) => record[emailColumn]?.startsWith('maya'))).toBe(true);

    // The other main pages render.
    for (const [path, heading, name] of [['/', 'Dashboard', '10-dashboard'], ['/tasks', 'Tasks', '11-tasks'], ['/billing', 'Billing', '12-billing'], ['/settings', 'Settings', '13-settings']] as const) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: heading }).click();
      await page.waitForURL((current) => current.pathname === path);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      if (path === '/') await page.locator('[echarts] canvas').first().waitFor();
      await page.waitForLoadState('networkidle');
      await shot(name);
    }

    // Log out: back to sign-in, and the console is closed until the next sign-in.
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login/);
    await page.goto(url('/leads'));
    await page.waitForURL(/\/login\?next=%2Fleads/);
    await shot('14-logged-out');

    expect(consoleErrors).toEqual([]);
  });
});
