/**
 * An edge function (Cloudflare Workers / Vercel Edge style `fetch` handler)
 * reading and writing Heroku Connect tables through Neon's serverless driver,
 * with the read-only guard. It imports the hc-drizzle core only: no `node:`
 * modules, no `pg` (test/guard/edge-bundle.test.ts bundles it for a worker).
 */
import { Pool } from '@neondatabase/serverless';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/neon-serverless';
import { WriteNotSupportedError, guardReadOnly } from '../../src/index.ts';
import { account, contact, user } from '../salesforce.ts';

export interface Env {
  readonly DATABASE_URL: string;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function route(request: Request, db: ReturnType<typeof guardReadOnly<ReturnType<typeof drizzle>>>): Promise<Response> {
  const url = new URL(request.url);
  if (request.method === 'GET' && url.pathname === '/accounts') {
    const rows = await db
      .select({ name: account.name, externalId: account.externalId, owner: user.name })
      .from(account)
      .leftJoin(user, eq(user.sfid, account.ownerId))
      .orderBy(account.name);
    return json(rows);
  }
  if (request.method === 'POST' && url.pathname === '/accounts') {
    const { name } = (await request.json()) as { name: string };
    // Account is mapped read_write: Heroku Connect sends the new row to Salesforce.
    const [created] = await db.insert(account).values({ name }).returning({ externalId: account.externalId });
    return json(created, 201);
  }
  if (request.method === 'DELETE' && url.pathname.startsWith('/contacts/')) {
    // Contact is read-only: the guard refuses before any SQL leaves the function
    // (the types refuse too, hence the cast to reach the run-time check).
    const sfid = url.pathname.slice('/contacts/'.length);
    await db.delete(contact as never).where(eq(contact.sfid, sfid));
    return new Response(null, { status: 204 });
  }
  return json({ error: 'not found' }, 404);
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const pool = new Pool({ connectionString: env.DATABASE_URL });
    try {
      return await route(request, guardReadOnly(drizzle({ client: pool })));
    } catch (error) {
      if (error instanceof WriteNotSupportedError) return json({ error: error.message, table: error.table }, 403);
      throw error;
    } finally {
      await pool.end();
    }
  },
};
