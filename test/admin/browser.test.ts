/**
 * The admin page as a person uses it, in headless Chromium (playwright-core
 * driving Debian's /usr/bin/chromium), served over HTTP on 127.0.0.1, on
 * PGlite and PostgreSQL. One browser for the file; screenshots go to
 * test-results/admin/ (not committed).
 */
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asc, sql } from 'drizzle-orm';
import { createRequestListener } from '@remix-run/node-fetch-server';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createTriggerLogAdmin, type AdminLogEntry } from 'hc-drizzle/admin';
import { setupTestDatabase, type HcTestDatabase } from 'hc-drizzle/testing';
import { triggerLog, triggerLogArchive } from 'hc-drizzle/trigger-log';
import { databaseTargets } from '../support/databases.ts';
import { HOSTILE_MESSAGE, schema, seedLogs } from './fixtures.ts';

const SCREENSHOTS = new URL('../../test-results/admin/', import.meta.url);
// The flags known to work here (node-svc.md): no sandbox as root, no GPU, no calls home.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const CHROMIUM = '/usr/bin/chromium';
// A fresh machine has no Chromium (node-svc.md): `npm test` there skips these, saying so. CI installs
// it and sets HC_TEST_REQUIRE_CHROMIUM, so a missing browser fails the run there instead.
const noChromium = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
if (noChromium !== false && process.env['HC_TEST_REQUIRE_CHROMIUM'] === '1') throw new Error(`HC_TEST_REQUIRE_CHROMIUM is set, but there is ${noChromium}.`);

let browser: Browser;
before(async () => {
  if (noChromium !== false) return;
  await mkdir(SCREENSHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});
after(() => browser?.close());

/**
 * In-page checks, as source text (the test's own functions carry the
 * transpiler's helpers): every control has a label, and text keeps 4.5:1
 * against its background (3:1 when large), WCAG 1.4.3.
 */
const ACCESSIBILITY_PROBLEMS = `(() => {
  const problems = [];
  for (const control of document.querySelectorAll('input:not([type="hidden"]), select, button')) {
    if (control.hidden) continue;
    const named = control.labels.length > 0 || control.getAttribute('aria-label') || (control.tagName === 'BUTTON' && control.textContent.trim());
    if (!named) problems.push('unlabelled ' + control.tagName.toLowerCase() + ' ' + control.name);
  }
  const channel = (value) => { const c = value / 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const rgba = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const background = (element) => {
    for (let at = element; at !== null; at = at.parentElement) {
      const [r, g, b, a = 1] = rgba(getComputedStyle(at).backgroundColor);
      if (a > 0.5) return [r, g, b];
    }
    return [255, 255, 255];
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    const element = node.parentElement;
    if (element === null || node.textContent.trim() === '' || element.closest('svg, script, [hidden]')) continue;
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    const style = getComputedStyle(element);
    const foreground = luminance(rgba(style.color));
    const behind = luminance(background(element));
    const ratio = (Math.max(foreground, behind) + 0.05) / (Math.min(foreground, behind) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) problems.push('contrast ' + ratio.toFixed(2) + ' for ' + JSON.stringify(node.textContent.trim().slice(0, 40)));
  }
  return problems;
})()`;

for (const target of databaseTargets()) {
  describe(`the admin page in Chromium on ${target.name}`, { skip: noChromium }, () => {
    let database: HcTestDatabase;
    let server: Server;
    let base: string;
    let context: BrowserContext;
    let page: Page;
    let problems: string[];
    const logged: AdminLogEntry[] = [];

    before(async () => {
      database = await setupTestDatabase(schema, { url: target.name === 'postgres' ? process.env['DATABASE_URL'] : undefined });
      const admin = createTriggerLogAdmin({
        db: database.db,
        basePath: '/admin',
        authorize: () => ({ user: 'tester' }),
        writeAlgorithm: 'merged',
        log: (entry) => logged.push(entry),
      });
      server = createServer(createRequestListener(admin));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin`;
    });
    after(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await database.close();
    });
    beforeEach(async () => {
      await database.reset();
      await seedLogs(database.db);
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      problems = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('dialog', (dialog) => {
        problems.push(`dialog: ${dialog.message()}`);
        void dialog.dismiss();
      });
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
    });
    afterEach(async () => {
      await context.close();
      assert.deepEqual(problems, []);
    });

    const shot = (name: string) => page.screenshot({ path: new URL(`${target.name}-${name}.png`, SCREENSHOTS).pathname, fullPage: true });
    const liveStates = async () =>
      Object.fromEntries((await database.db.select().from(triggerLog).orderBy(asc(triggerLog.id))).map((log) => [log.id, log.state]));
    const rowIds = () => page.locator('table.logs tbody th[scope="row"] a').allTextContents();

    it('filters the failures, ticks two logs with the keyboard, and retries them after confirming', async () => {
      await page.goto(`${base}/`);
      await shot('list');
      await page.getByRole('navigation', { name: 'State' }).getByRole('link', { name: 'FAILED', exact: true }).click();
      assert.deepEqual(await rowIds(), ['11', '10', '7', '4', '3']);
      assert.equal(await page.locator('caption').first().textContent(), 'Logs 1–5 of 5, newest first');
      await page.getByLabel('Select log 10').focus();
      await page.keyboard.press('Space');
      await page.getByLabel('Select log 7').check();
      assert.equal(await page.locator('[data-selection-count]').textContent(), '2 logs selected');
      await shot('selected');
      await page.getByRole('button', { name: 'Retry', exact: true }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Retry 2 logs?' }).waitFor();
      assert.match(await page.locator('main').innerText(), /2 logs will change: 2 live, 0 archived\./);
      await shot('confirm');
      assert.deepEqual([(await liveStates())[7], (await liveStates())[10]], ['FAILED', 'FAILED'], 'nothing changes before the confirmation');
      await page.getByRole('button', { name: 'Retry 2 logs' }).click();
      await page.getByRole('status').getByText('Retried 2 logs (2 live, 0 archived) with merged writes.').waitFor();
      assert.match(page.url(), /\/admin\/\?state=FAILED&done=retry/);
      await shot('retried');
      assert.deepEqual([(await liveStates())[7], (await liveStates())[10]], ['NEW', 'NEW']);
      assert.deepEqual(await rowIds(), ['11', '4', '3']);
      assert.match(logged.at(-1)!.message, /^tester retried 2 logs \(2 live, 0 archived; 2 confirmed\) with merged writes: logs live-10, live-7\.$/);
    });

    it('cancels without a change, then ignores every matching log', async () => {
      await page.goto(`${base}/?state=FAILED&table=account`);
      await page.getByRole('button', { name: 'Ignore all' }).click();
      await page.getByRole('heading', { name: 'Ignore 4 logs?' }).waitFor();
      assert.match(await page.locator('main').innerText(), /Every log matching: state FAILED, table account, live and archived\./);
      await page.getByRole('link', { name: 'Cancel' }).click();
      assert.deepEqual(await rowIds(), ['11', '10', '4', '3']);
      await page.getByRole('button', { name: 'Ignore all' }).click();
      await page.getByRole('button', { name: 'Ignore 4 logs' }).click();
      await page.getByRole('status').getByText('Ignored 4 logs (2 live, 2 archived).').waitFor();
      assert.equal(await page.getByText('No logs match these filters.').count(), 1);
      const archived = await database.db.select().from(triggerLogArchive).orderBy(asc(triggerLogArchive.id));
      assert.deepEqual(archived.map((log) => log.state), ['SUCCESS', 'SUCCESS', 'IGNORED', 'IGNORED']);
    });

    it("opens a log's page from its id, reads its fields and record, and redoes it", async () => {
      await page.goto(`${base}/`);
      await page.getByRole('link', { name: '10', exact: true }).click();
      await page.getByRole('heading', { name: /^Log 10/ }).waitFor();
      const fields = page.getByRole('table', { name: 'Fields of log 10' });
      assert.deepEqual(await fields.getByRole('row', { name: /^name / }).getByRole('cell').allInnerTexts(), ['Account 2', 'Account 2 <renamed>', 'Account 2 <renamed>']);
      assert.match(await page.locator('main').innerText(), /Row 2 of salesforce\.account, not yet in Salesforce, last sync operation PENDING\./);
      const related = page.getByRole('table', { name: /Logs of row 2 of account/ });
      assert.deepEqual(await related.locator('tbody th a').allTextContents(), ['10', '2']);
      await shot('detail');
      await page.getByRole('button', { name: 'Redo' }).click();
      await page.getByRole('button', { name: 'Redo 1 log' }).click();
      await page.getByRole('status').getByText('Redid 1 log (1 live, 0 archived) with merged writes.').waitFor();
      assert.match(page.url(), /\/admin\/logs\/live\/10\?done=redo/);
      assert.equal((await liveStates())[10], 'NEW');
    });

    it('shows what Salesforce wrote as text: the hostile message runs nothing', async () => {
      await page.goto(`${base}/logs/live/7`);
      assert.equal(await page.locator('pre.message').textContent(), HOSTILE_MESSAGE);
      await page.goto(`${base}/?q=INVALID_FIELD`);
      assert.equal(await page.locator('td.message').textContent(), HOSTILE_MESSAGE);
      assert.equal(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked), undefined);
      assert.equal(await page.locator('main img, main script').count(), 0);
    });

    it('selects all rows and ranges with the script, and works without it', async () => {
      await page.goto(`${base}/`);
      await page.getByLabel('Select every log on this page').check();
      assert.equal(await page.locator('[data-selection-count]').textContent(), '11 logs selected');
      await page.getByLabel('Select every log on this page').uncheck();
      await page.getByLabel('Select log 10').click();
      await page.getByLabel('Select log 7').click({ modifiers: ['Shift'] });
      assert.equal(await page.locator('[data-selection-count]').textContent(), '4 logs selected');

      const plain = await browser.newContext({ javaScriptEnabled: false });
      try {
        const without = await plain.newPage();
        await without.goto(`${base}/?state=FAILED`);
        assert.equal(await without.getByLabel('Select every log on this page').isVisible(), false);
        await without.getByLabel('Select log 11').check();
        await without.getByRole('button', { name: 'Ignore', exact: true }).click();
        await without.getByRole('button', { name: 'Ignore 1 log' }).click();
        await without.getByText('Ignored 1 log (1 live, 0 archived).').waitFor();
        assert.equal((await liveStates())[11], 'IGNORED');
      } finally {
        await plain.close();
      }
    });

    it('draws the failures per table over time in the overview', async () => {
      await database.db.execute(
        // Into the window: account failures one and two hours ago, a contact failure three hours ago, the rest two days ago.
        sql`update salesforce._trigger_log set created_at = now() - case id when 10 then interval '1 hour' when 11 then interval '2 hours' when 7 then interval '3 hours' else interval '2 days' end`,
      );
      await page.goto(`${base}/overview?window=24h`);
      const chart = page.getByRole('img', { name: 'Failed logs per table, by capture time (UTC)' });
      await chart.waitFor();
      assert.match((await chart.locator('desc').textContent()) ?? '', /^3 failed logs captured in the last 24 hours, in 2 tables; most in account \(2\)\.$/);
      assert.equal(await chart.locator('rect').count(), 3);
      assert.deepEqual((await page.locator('.legend li').allInnerTexts()).map((text) => text.trim()), ['account (2)', 'contact (1)']);
      await shot('overview');
      await page.getByRole('table', { name: /by table and state/ }).getByRole('link', { name: '2' }).first().click();
      assert.match(page.url(), /\/admin\/\?/);
    });

    it('names every control, reaches the actions by keyboard, shows focus, and keeps text contrast', async () => {
      for (const path of ['/', '/?state=FAILED', '/logs/live/10', '/confirm?do=retry&log=live-10', '/overview']) {
        await page.goto(`${base}${path}`);
        assert.deepEqual(await page.evaluate(ACCESSIBILITY_PROBLEMS), [], path);
      }
      await page.goto(`${base}/?state=FAILED`);
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
      let presses = 1;
      while ((await page.evaluate(() => document.activeElement?.textContent)) !== 'Retry' && presses < 80) {
        await page.keyboard.press('Tab');
        presses++;
      }
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Retry');
      assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle), 'none');
    });
  });
}
