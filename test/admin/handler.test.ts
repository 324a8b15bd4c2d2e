/**
 * The admin handler answering requests as a browser sends them: the list,
 * its filters and keyset pages, a log's page, the confirmation, the actions
 * and what they change, and every defence. On PGlite and PostgreSQL.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { asc, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { createTriggerLogAdmin, type AdminLogEntry, type TriggerLogAdminOptions } from 'hc-drizzle/admin';
import { setupTestDatabase, type HcTestDatabase } from 'hc-drizzle/testing';
import { triggerLog, triggerLogArchive } from 'hc-drizzle/trigger-log';
import { databaseTargets } from '../support/databases.ts';
import { adminClient, formFields, linkTo, listedLogs, ORIGIN, textOf, type Handler } from './client.ts';
import { HOSTILE_MESSAGE, SFID_OF_DELETED, schema, seedLogs } from './fixtures.ts';

const NEWEST_FIRST = ['live-11', 'live-10', 'live-9', 'live-8', 'live-7', 'live-6', 'live-5', 'archive-4', 'archive-3', 'archive-2', 'archive-1'];

for (const target of databaseTargets()) {
  describe(`the trigger-log admin handler on ${target.name}`, () => {
    let database: HcTestDatabase;
    let logged: AdminLogEntry[];
    before(async () => {
      database = await setupTestDatabase(schema, { url: target.name === 'postgres' ? process.env['DATABASE_URL'] : undefined });
    });
    after(() => database.close());
    beforeEach(async () => {
      await database.reset();
      await seedLogs(database.db);
      logged = [];
    });

    const baseOptions = (): TriggerLogAdminOptions => ({
      db: database.db,
      basePath: '/admin',
      authorize: () => ({ user: 'alice' }),
      writeAlgorithm: 'merged',
      log: (entry) => logged.push(entry),
    });
    const admin = (options: Partial<TriggerLogAdminOptions> = {}): Handler => createTriggerLogAdmin({ ...baseOptions(), ...options });
    const states = async () => ({
      live: Object.fromEntries((await database.db.select().from(triggerLog).orderBy(asc(triggerLog.id))).map((log) => [log.id, log.state])),
      archived: Object.fromEntries((await database.db.select().from(triggerLogArchive).orderBy(asc(triggerLogArchive.id))).map((log) => [log.id, log.state])),
    });

    it('lists live and archived logs newest first with the total, and pages through them by keyset', async () => {
      const client = adminClient(admin());
      const all = await client.get('/admin/');
      assert.equal(all.status, 200);
      assert.deepEqual(listedLogs(all.html), NEWEST_FIRST);
      assert.match(textOf(all.html), /11 logs in the live log and the archive/);
      assert.match(textOf(all.html), /Logs 1–11 of 11, newest first/);

      // Pages of 25 are the smallest offered: page a bigger log instead.
      for (let n = 0; n < 50; n++) await database.db.insert(schema.contact).values({ lastName: `More ${n}` });
      const first = await client.get('/admin/?size=25');
      assert.match(textOf(first.html), /Logs 1–25 of 61/);
      const seen = [...listedLogs(first.html)];
      let page = first;
      while (/rel="next"/.test(page.html)) {
        page = await client.get(linkTo(page.html, 'Next'));
        seen.push(...listedLogs(page.html));
      }
      assert.equal(seen.length, 61);
      assert.equal(new Set(seen).size, 61);
      assert.deepEqual(seen.slice(-11), NEWEST_FIRST);
      assert.match(textOf(page.html), /Logs 51–61 of 61/);
      const previous = await client.get(linkTo(page.html, 'Previous'));
      assert.deepEqual(listedLogs(previous.html), seen.slice(25, 50));
      assert.match(textOf(previous.html), /Logs 26–50 of 61/);
      const last = await client.get(linkTo(first.html, 'Last'));
      assert.deepEqual(listedLogs(last.html), seen.slice(50));
      assert.doesNotMatch(last.html, /rel="next"/);
      const top = await client.get(linkTo(last.html, 'First'));
      assert.deepEqual(listedLogs(top.html), seen.slice(0, 25));
    });

    it('filters by state, action, table, live or archive, capture dates and one search box', async () => {
      const client = adminClient(admin());
      const logs = async (query: string) => listedLogs((await client.get(`/admin/?${query}`)).html);
      assert.deepEqual(await logs('state=FAILED'), ['live-11', 'live-10', 'live-7', 'archive-4', 'archive-3']);
      assert.deepEqual(await logs('state=FAILED&logs=archived'), ['archive-4', 'archive-3']);
      assert.deepEqual(await logs('state=FAILED&table=account&logs=live'), ['live-11', 'live-10']);
      assert.deepEqual(await logs('action=UPDATE'), ['live-10']);
      assert.deepEqual(await logs('action=DELETE&state=FAILED'), ['live-11']);
      assert.deepEqual(await logs('table=contact'), ['live-9', 'live-8', 'live-7']);
      assert.deepEqual(await logs('since=2024-06-02&until=2024-06-03'), ['live-8', 'live-7', 'live-6', 'live-5', 'archive-4', 'archive-3']);
      assert.deepEqual(await logs('since=2024-06-04T12%3A10%3A00Z'), ['live-11', 'live-10']);
      assert.deepEqual(await logs('since=24h'), []);
      // One box: a record id, an sfid (18 or 15 characters), or words of the message.
      assert.deepEqual(await logs('q=2'), ['live-10', 'live-8', 'archive-2']);
      assert.deepEqual(await logs('q=2&table=account'), ['live-10', 'archive-2']);
      assert.deepEqual(await logs(`q=${SFID_OF_DELETED}`), ['live-11']);
      assert.deepEqual(await logs(`q=${SFID_OF_DELETED.slice(0, 15)}`), ['live-11']);
      assert.deepEqual(await logs('q=required+FIELD'), ['archive-4']);
      assert.deepEqual(await logs('q=0015g00000AbCdEAAA'), ['archive-3']);
      const page = await client.get('/admin/?state=FAILED&table=account&q=field');
      assert.match(textOf(page.html), /2 logs match these filters/);
      // The chosen filters are marked, and every filter link keeps the others.
      assert.match(page.html, /<a href="\/admin\/\?state=FAILED&amp;table=account&amp;q=field" aria-current="true" class="current">FAILED<\/a>/);
      assert.match(page.html, /<a href="\/admin\/\?table=account&amp;q=field">All<\/a>/);
      assert.match(page.html, /href="\/admin\/\?state=FAILED&amp;action=INSERT&amp;table=account&amp;q=field"/);
      assert.match(page.html, /<option value="account" selected>account<\/option>/);
      assert.match(page.html, /<input type="search" id="q" name="q" value="field"/);
    });

    it('reads a search no index serves a window of ids at a time, and goes on below where it stopped', async () => {
      // A log far above the others: the ids in between hold nothing.
      await database.db.execute(sql`insert into salesforce._trigger_log_archive (id, txid, created_at, updated_at, state, action, table_name, record_id, sfid, sf_message)
        values (60000, 1, now(), now(), 'FAILED', 'UPDATE', 'account', 3, ${SFID_OF_DELETED}, 'UNABLE_TO_LOCK_ROW')`);
      // searchTimeMs 0: one window of 20,000 ids per page.
      const client = adminClient(admin({ searchTimeMs: 0 }));
      let page = await client.get(`/admin/?q=${SFID_OF_DELETED}`);
      assert.equal(page.status, 200);
      assert.deepEqual(listedLogs(page.html), ['archive-60000']);
      assert.match(textOf(page.html), /Searched the logs from id 40,001 up: 1 log found so far\./);
      const seen = [...listedLogs(page.html)];
      const stops: string[] = [];
      while (/Search older logs/.test(page.html)) {
        stops.push(/Searched the logs from id ([\d,]+) up/.exec(textOf(page.html))?.[1] ?? '?');
        page = await client.get(linkTo(page.html, 'Search older logs'));
        assert.equal(page.status, 200);
        seen.push(...listedLogs(page.html));
      }
      assert.deepEqual(stops, ['40,001', '20,001']);
      assert.deepEqual(seen, ['archive-60000', 'live-11']);
      assert.doesNotMatch(page.html, /rel="next"/);
      // Text searches go the same way; an index-served filter is not windowed.
      assert.deepEqual(listedLogs((await client.get('/admin/?q=unable_to_lock')).html), ['archive-60000']);
      assert.deepEqual(listedLogs((await client.get('/admin/?state=FAILED')).html), ['archive-60000', 'live-11', 'live-10', 'live-7', 'archive-4', 'archive-3']);
      // Combined with other filters, the windows hold them all.
      assert.deepEqual(listedLogs((await client.get(`/admin/?state=FAILED&q=${SFID_OF_DELETED}`)).html), ['archive-60000']);
      assert.deepEqual(listedLogs((await client.get(`/admin/?table=account&since=2024-06-01&q=${SFID_OF_DELETED}`)).html), ['archive-60000']);
      assert.throws(() => admin({ searchTimeMs: -1 }), { name: 'InputError', message: 'searchTimeMs must be a whole number of milliseconds, 0 or more, not -1.' });
    });

    it('answers a bad filter with one sentence and a 400', async () => {
      const client = adminClient(admin());
      for (const [query, sentence] of [
        ['state=BROKEN', 'The filter is not valid: state must be one of the trigger log states.'],
        ['since=June', 'The filter is not valid: from must be a date such as 2024-06-01.'],
        ['until=2024-02-30', 'The filter is not valid: to must be a date such as 2024-06-01 or a time such as 2024-06-01T12:00:00Z.'],
        ['size=7', 'The filter is not valid: size must be 25, 50, 100 or 200.'],
        ['table=a;drop', 'The filter is not valid: table must be a table name (letters, digits, _ or $).'],
      ]) {
        const page = await client.get(`/admin/?${query}`);
        assert.equal(page.status, 400, query);
        assert.match(textOf(page.html), new RegExp(sentence!.replace(/[.()$]/g, '\\$&')), query);
      }
    });

    it("shows a log's fields beside the record as it is now, and the record's other logs", async () => {
      const client = adminClient(admin());
      const page = await client.get('/admin/logs/live/10');
      assert.equal(page.status, 200);
      const text = textOf(page.html);
      assert.match(text, /Log 10 FAILED/);
      assert.match(text, /FIELD_CUSTOM_VALIDATION_EXCEPTION: Account number must start with A/);
      // old holds the row before the update; values only what it changed; the record now has both changes.
      assert.match(text, /accountnumber NULL N-2 N-2/);
      assert.match(text, /name Account 2 Account 2 <renamed> Account 2 <renamed>/);
      assert.match(text, /external_id__c 2{32} – 2{32}/);
      assert.match(text, /_hc_lastop – – PENDING/);
      assert.match(text, /Row 2 of salesforce\.account, not yet in Salesforce, last sync operation PENDING\./);
      assert.deepEqual(listedLogs(page.html), ['live-10', 'archive-2']);
      assert.match(page.html, /aria-current="true" class="current">[\s\S]*?\/logs\/live\/10">10<\/a> <span class="note">\(this log\)/);
      assert.match(page.html, /<button type="submit" name="do" value="retry">Retry<\/button>/);

      const deleted = textOf((await client.get('/admin/logs/live/11')).html);
      assert.match(deleted, /Row 3 is no longer in salesforce\.account\./);
      assert.match(deleted, new RegExp(`sfid ${SFID_OF_DELETED}`));
      const archived = await client.get('/admin/logs/archive/3');
      assert.match(textOf(archived.html), /Log archive \(_trigger_log_archive\)/);
      assert.deepEqual(listedLogs(archived.html), ['live-11', 'archive-3']);
      const success = await client.get('/admin/logs/live/8');
      assert.doesNotMatch(success.html, /value="retry"/);
      assert.match(success.html, /value="redo">Redo<\/button>/);

      const missing = await client.get('/admin/logs/live/3');
      assert.equal(missing.status, 404);
      assert.match(textOf(missing.html), /There is no live log 3/);
    });

    it('confirms before changing anything, saying how many logs will change', async () => {
      const client = adminClient(admin());
      const before = await states();
      const chosen = await client.get('/admin/confirm?do=retry&log=live-7&log=live-8&log=archive-3&back=%2Fadmin%2F%3Fstate%3DFAILED');
      assert.equal(chosen.status, 200);
      const text = textOf(chosen.html);
      assert.match(text, /Retry 2 logs\? 2 logs will change: 1 live, 1 archived\./);
      assert.match(text, /You chose 3 logs\. 1 of them is not FAILED and will stay as it is\./);
      assert.deepEqual(listedLogs(chosen.html), ['live-8', 'live-7', 'archive-3']);
      assert.match(chosen.html, /<button type="submit" class="primary">Retry 2 logs<\/button>/);
      assert.match(chosen.html, /<a href="\/admin\/\?state=FAILED" class="cancel">Cancel<\/a>/);

      const every = textOf((await client.get('/admin/confirm?do-all=ignore&state=FAILED&table=account')).html);
      assert.match(every, /Ignore 4 logs\? 4 logs will change: 2 live, 2 archived\./);
      assert.match(every, /Every log matching: state FAILED, table account, live and archived\./);
      const redoAll = textOf((await client.get('/admin/confirm?do-all=redo&table=contact')).html);
      assert.match(redoAll, /Redo 3 logs\?/);
      const none = textOf((await client.get('/admin/confirm?do-all=retry&state=SUCCESS')).html);
      assert.match(none, /Nothing to retry No log will change\./);
      const empty = textOf((await client.get('/admin/confirm?do=ignore')).html);
      assert.match(empty, /No logs were selected: tick the logs to ignore in the list first, or use “Ignore all”\./);
      // Ordered writes: a failed insert whose row is gone cannot be re-captured, and the count says so.
      const ordered = adminClient(admin({ writeAlgorithm: 'ordered' }));
      assert.match(textOf((await ordered.get('/admin/confirm?do-all=retry&state=FAILED&table=account')).html), /Retry 3 logs\?/);
      assert.deepEqual(await states(), before);
    });

    it('retries, ignores and redoes what was confirmed, through the trigger log operations, and logs each action', async () => {
      const client = adminClient(admin());
      const confirm = await client.get('/admin/confirm?do=retry&log=live-7&log=live-8&log=archive-3&back=%2Fadmin%2F%3Fstate%3DFAILED');
      const done = await client.post('/admin/actions', formFields(confirm.html, '/admin/actions'));
      assert.equal(done.status, 303);
      const location = done.headers.get('location')!;
      assert.equal(location, '/admin/?state=FAILED&done=retry&live=1&archived=1&expected=2&algorithm=merged');
      const result = await client.get(location);
      assert.match(textOf(result.html), /Retried 2 logs \(1 live, 1 archived\) with merged writes\./);
      let now = await states();
      assert.equal(now.live[7], 'NEW');
      assert.equal(now.live[8], 'SUCCESS');
      assert.equal(now.archived[3], 'REQUEUED');
      assert.equal(now.live[12], 'NEW', 'the archived log is copied into the live log');

      const ignore = await client.get('/admin/confirm?do-all=ignore&state=FAILED&table=account&logs=live');
      assert.match(textOf(ignore.html), /Ignore 2 logs\?/);
      await client.post('/admin/actions', formFields(ignore.html, '/admin/actions'));
      now = await states();
      assert.deepEqual([now.live[10], now.live[11], now.archived[4]], ['IGNORED', 'IGNORED', 'FAILED']);

      const redo = await client.get('/admin/confirm?do=redo&log=live-8&back=%2Fadmin%2Flogs%2Flive%2F8');
      const back = await client.post('/admin/actions', formFields(redo.html, '/admin/actions'));
      assert.equal(back.headers.get('location'), '/admin/logs/live/8?done=redo&live=1&archived=0&expected=1&algorithm=merged');
      assert.equal((await states()).live[8], 'NEW');
      assert.match(textOf((await client.get(back.headers.get('location')!)).html), /Redid 1 log \(1 live, 0 archived\) with merged writes\./);

      assert.deepEqual(
        logged.map((entry) => [entry.level, entry.message]),
        [
          ['info', 'alice retried 2 logs (1 live, 1 archived; 2 confirmed) with merged writes: logs live-7, live-8, archive-3.'],
          ['info', 'alice ignored 2 logs (2 live, 0 archived; 2 confirmed): every log matching state=FAILED&table=account&logs=live.'],
          ['info', 'alice redid 1 log (1 live, 0 archived; 1 confirmed) with merged writes: logs live-8.'],
        ],
      );
    });

    it('retries with ordered writes by re-capturing the rows, as hc-drizzle retry does', async () => {
      const client = adminClient(admin({ writeAlgorithm: 'ordered' }));
      const confirm = await client.get('/admin/confirm?do-all=retry&state=FAILED&table=account');
      assert.match(textOf(confirm.html), /re-captured from the row as it is now/);
      const done = await client.post('/admin/actions', formFields(confirm.html, '/admin/actions'));
      assert.match(done.headers.get('location')!, /done=retry&live=2&archived=1&expected=3&algorithm=ordered$/);
      const now = await states();
      // 10 (update) re-captured, 11 (delete) back to NEW, archived 4 re-captured; 3's row is gone: still FAILED.
      assert.deepEqual([now.live[10], now.live[11], now.archived[3], now.archived[4]], ['REQUEUED', 'NEW', 'FAILED', 'REQUEUED']);
      assert.deepEqual(Object.keys(now.live).map(Number).filter((id) => id > 11).length, 2);
    });

    it('asks for the write algorithm before a retry, and says so when it cannot be known', async () => {
      const saved = { token: process.env['HEROKU_AUTH_TOKEN'], app: process.env['HEROKU_APP_NAME'] };
      delete process.env['HEROKU_AUTH_TOKEN'];
      delete process.env['HEROKU_APP_NAME'];
      try {
        const { writeAlgorithm: _none, ...unknown } = { ...baseOptions(), writeAlgorithm: undefined };
        const client = adminClient(createTriggerLogAdmin(unknown));
        const list = textOf((await client.get('/admin/')).html);
        assert.match(list, /Retry and redo need the connection’s write algorithm/);
        const confirm = await client.get('/admin/confirm?do=retry&log=live-7');
        assert.match(textOf(confirm.html), /set HEROKU_AUTH_TOKEN and HEROKU_APP_NAME/);
        assert.doesNotMatch(confirm.html, /action="\/admin\/actions"/);
        // Ignore needs no algorithm.
        assert.match((await client.get('/admin/confirm?do=ignore&log=live-7')).html, /action="\/admin\/actions"/);
        let asked = 0;
        const asking = adminClient(admin({ writeAlgorithm: async () => (asked++, 'ordered') }));
        assert.match(textOf((await asking.get('/admin/confirm?do=retry&log=live-10')).html), /with ordered writes/);
        await asking.get('/admin/confirm?do=redo&log=live-10');
        assert.equal(asked, 1, 'the algorithm is kept');
      } finally {
        if (saved.token !== undefined) process.env['HEROKU_AUTH_TOKEN'] = saved.token;
        if (saved.app !== undefined) process.env['HEROKU_APP_NAME'] = saved.app;
      }
    });

    it('changes nothing without a valid CSRF token, from another origin, or as anything but a form post', async () => {
      const client = adminClient(admin());
      const confirm = await client.get('/admin/confirm?do=ignore&log=live-7');
      const fields = formFields(confirm.html, '/admin/actions');
      const before = await states();
      const attempts: [string, Promise<{ status: number; html: string }>][] = [
        ['no token', client.post('/admin/actions', fields.filter(([name]) => name !== 'csrf'))],
        ['a forged token', client.post('/admin/actions', fields.map(([name, value]) => [name, name === 'csrf' ? `${value.split('.')[0]}.forged` : value]))],
        ["another browser's cookie", client.post('/admin/actions', fields, { cookie: 'hc_admin_csrf=AAAAAAAAAAAAAAAAAAAAAA' })],
        ['another origin', client.post('/admin/actions', fields, { origin: 'https://evil.example' })],
        ['an opaque origin', client.post('/admin/actions', fields, { origin: 'null' })],
        ['a cross-site fetch without Origin', client.post('/admin/actions', fields, { origin: '', 'sec-fetch-site': 'cross-site' })],
        ['JSON', client.post('/admin/actions', fields, { 'content-type': 'application/json' })],
      ];
      for (const [what, attempt] of attempts) {
        const page = await attempt;
        assert.equal(page.status, 403, what);
        assert.match(textOf(page.html), /nothing was changed/i, what);
      }
      assert.equal((await client.get('/admin/actions')).status, 405);
      assert.deepEqual(await states(), before);
      assert.equal(logged.filter((entry) => entry.level === 'warn').length, attempts.length);
      assert.match(logged[0]!.message, /^refused an action from alice: its CSRF token is missing or wrong\.$/);
      // The same form from the page's own origin works, also with only a same-origin Referer.
      const referred = await client.post('/admin/actions', fields, { origin: '', referer: `${ORIGIN}/admin/confirm` });
      assert.equal(referred.status, 303);
      assert.equal((await states()).live[7], 'IGNORED');
    });

    it('needs authorize, and serves no one it refuses', async () => {
      assert.throws(
        () => createTriggerLogAdmin({ db: database.db } as unknown as TriggerLogAdminOptions),
        /needs authorize\(request\)/,
      );
      assert.throws(() => createTriggerLogAdmin({ db: database.db, authorize: () => true, basePath: 'admin x' }), /basePath must be a URL path/);
      const refused = adminClient(admin({ authorize: (request) => request.headers.get('x-role') === 'admin' }));
      const page = await refused.get('/admin/');
      assert.equal(page.status, 403);
      assert.doesNotMatch(page.html, /Account|FAILED/);
      assert.equal((await refused.get('/admin/', { 'x-role': 'admin' })).status, 200);
      const login = adminClient(admin({ authorize: () => new Response('sign in', { status: 401, headers: { 'www-authenticate': 'Basic realm="admin"' } }) }));
      const asked = await login.get('/admin/');
      assert.deepEqual([asked.status, asked.headers.get('www-authenticate'), asked.html], [401, 'Basic realm="admin"', 'sign in']);
      // The stylesheet and script hold nothing private and load for the refusal page too.
      assert.equal((await refused.get('/admin/assets/admin.css')).status, 200);
      const broken = adminClient(admin({ authorize: () => Promise.reject(new Error('session store down')) }));
      assert.equal((await broken.get('/admin/')).status, 500);
      assert.match(logged.at(-1)!.message, /authorize failed for GET \/admin\/: session store down/);
    });

    it('escapes what Salesforce and the app wrote, and shows no secret', async () => {
      process.env['HEROKU_AUTH_TOKEN'] = 'secret-token-value';
      try {
        const client = adminClient(admin());
        for (const path of ['/admin/', '/admin/?state=FAILED', '/admin/logs/live/7', '/admin/logs/live/10', '/admin/confirm?do=retry&log=live-7', '/admin/overview']) {
          const page = await client.get(path);
          assert.doesNotMatch(page.html, /<script>window|<img src=x|onerror="/, path);
          assert.doesNotMatch(page.html, /secret-token-value|postgres:\/\//, path);
          assert.equal(page.headers.get('content-security-policy')?.includes("script-src 'self'"), true);
          assert.equal(page.headers.get('x-frame-options'), 'DENY');
          assert.equal(page.headers.get('cache-control'), 'no-store');
        }
        const detail = await client.get('/admin/logs/live/7');
        assert.match(textOf(detail.html), new RegExp(HOSTILE_MESSAGE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
        assert.match(detail.html, /&lt;script&gt;window\.hacked = 1&lt;\/script&gt;&lt;img src=x onerror=&quot;window\.hacked = 2&quot;&gt; &amp; &quot;quotes&quot;/);
        assert.match(textOf((await client.get('/admin/logs/live/10')).html), /Account 2 <renamed>/);
        // An action returns only to a page of the admin, never elsewhere.
        const confirm = await client.get('/admin/confirm?do=ignore&log=live-7&back=https%3A%2F%2Fevil.example%2F');
        assert.match(confirm.html, /<a href="\/admin\/" class="cancel">/);
        const sneaky = await client.get('/admin/confirm?do=ignore&log=live-7&back=%2F%2Fevil.example%2Fadmin%2F');
        assert.match(sneaky.html, /<a href="\/admin\/" class="cancel">/);
      } finally {
        delete process.env['HEROKU_AUTH_TOKEN'];
      }
    });

    it('shows counts by table and state and a chart of failures per table', async () => {
      // Bring the seeded logs into the overview's window.
      await database.db.execute(sql`update salesforce._trigger_log set created_at = now() - (12 - id) * interval '1 hour'`);
      await database.db.execute(sql`update salesforce._trigger_log_archive set created_at = now() - interval '2 days'`);
      const client = adminClient(admin());
      const page = await client.get('/admin/overview?window=7d');
      assert.equal(page.status, 200);
      const text = textOf(page.html);
      assert.match(text, /Table NEW PENDING SUCCESS FAILED IGNORED All states account 1 1 2 4 0 8 contact 0 0 1 1 1 3 All tables 1 1 3 5 1 11/);
      assert.match(page.html, /<svg class="chart"[^>]*role="img" aria-labelledby="chart-title chart-desc"/);
      assert.match(text, /5 failed logs captured in the last 7 days, in 2 tables; most in account \(4\)\./);
      assert.equal([...page.html.matchAll(/<rect [^>]*fill="#0b57d0"><title>account: /g)].length >= 2, true);
      assert.match(page.html, /<title>contact: 1 failed log, /);
      assert.match(linkTo(page.html, '4'), /^\/admin\/\?state=FAILED&table=account&since=7d$/);
      const day = textOf((await client.get('/admin/overview?window=24h&logs=live')).html);
      assert.match(day, /3 failed logs captured in the last 24 hours, in 2 tables/);
      assert.equal((await client.get('/admin/overview?window=2y')).status, 400);
    });

    it('logs a query the database refuses as one line with its reason, not the SQL and its parameters', async () => {
      const client = adminClient(admin({ schema: 'no_heroku_connect_here' }));
      const page = await client.get('/admin/?q=secret-looking-search');
      assert.equal(page.status, 500);
      assert.match(textOf(page.html), /the server log has the details/);
      const errors = logged.filter((entry) => entry.level === 'error');
      assert.equal(errors.length, 1);
      const [entry] = errors;
      assert.match(entry!.message, /^GET \/admin\/ failed: the database refused a query: .*no_heroku_connect_here.* \(SQLSTATE 42P01\)$/);
      assert.doesNotMatch(entry!.message, /Failed query|params|secret-looking-search|\n/);
    });

    it('mounts at any base path, answers HEAD, and leaves other paths alone', async () => {
      const root = adminClient(createTriggerLogAdmin({ db: database.db, authorize: () => true, writeAlgorithm: 'merged' }));
      assert.deepEqual(listedLogs((await root.get('/')).html), NEWEST_FIRST);
      assert.match((await root.get('/')).html, /href="\/logs\/live\/11"/);
      const nested = admin({ basePath: '/ops/hc/' });
      assert.equal((await nested(new Request(`${ORIGIN}/ops/hc`))).status, 200);
      assert.equal((await nested(new Request(`${ORIGIN}/ops/hcx`))).status, 404);
      assert.equal((await nested(new Request(`${ORIGIN}/elsewhere`))).status, 404);
      const head = await nested(new Request(`${ORIGIN}/ops/hc/`, { method: 'HEAD' }));
      assert.deepEqual([head.status, await head.text()], [200, '']);
      assert.equal((await nested(new Request(`${ORIGIN}/ops/hc/nope`))).status, 404);
    });

    it('mounts in a Hono app as the README shows, actions included', async () => {
      const handler = admin({ basePath: '/admin' });
      const app = new Hono();
      app.get('/', (c) => c.text('the app'));
      app.all('/admin/*', (c) => handler(c.req.raw));
      const client = adminClient((request) => Promise.resolve(app.fetch(request)));
      assert.equal((await client.get('/')).html, 'the app');
      const confirm = await client.get('/admin/confirm?do=ignore&log=live-7');
      assert.match(textOf(confirm.html), /Ignore 1 log\?/);
      const done = await client.post('/admin/actions', formFields(confirm.html, '/admin/actions'));
      assert.equal(done.status, 303);
      assert.equal((await states()).live[7], 'IGNORED');
    });
  });
}
