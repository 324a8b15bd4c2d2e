/**
 * The emulator's own control API, for apps and tests that run it as a
 * process (`hc-drizzle emulate`) and so cannot call `emulator.org.faults`
 * or `emulator.sync()`: `GET /emulator/faults`, `POST /emulator/faults`
 * (the same faults, as JSON) and `POST /emulator/sync` (one cycle now).
 * Bearer auth with the emulator's always-valid access token.
 */
import * as v from 'valibot';
import type { Org } from '../org/org.ts';
import type { SyncResult } from '../sync/engine.ts';
import { json, jsonBody, type ApiReply, type ApiRequest } from './http.ts';

const FaultsRequestSchema = v.strictObject({
  failNextWrites: v.optional(
    v.strictObject({
      count: v.pipe(v.number(), v.integer(), v.minValue(1)),
      errorCode: v.optional(v.pipe(v.string(), v.regex(/^[A-Z][A-Z0-9_]*$/, 'must be an error code like UNABLE_TO_LOCK_ROW'))),
      message: v.optional(v.string()),
      fields: v.optional(v.array(v.string())),
      status: v.optional(v.pipe(v.number(), v.integer(), v.minValue(400), v.maxValue(599))),
    }),
  ),
  slowMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(600_000))),
  unavailable: v.optional(v.boolean()),
  expireSessions: v.optional(v.literal(true)),
  clear: v.optional(v.literal(true)),
});

const refusal = (status: number, message: string) => json(status, [{ errorCode: status === 401 ? 'INVALID_SESSION_ID' : 'INVALID_REQUEST', message, fields: [] }]);

/** The control API of one emulator. */
export function controlApi(org: Org, accessToken: string, sync: () => Promise<SyncResult>) {
  const state = () => ({ delayMs: org.faults.delayMs, unavailable: org.faults.isUnavailable, sessionEpoch: org.faults.sessionEpoch });
  return async (request: ApiRequest): Promise<ApiReply | undefined> => {
    const path = request.url.pathname.replace(/\/+$/, '');
    if (path !== '/emulator/faults' && path !== '/emulator/sync') return undefined;
    if (request.headers.authorization !== `Bearer ${accessToken}`) return refusal(401, "The emulator's control API needs Authorization: Bearer <the emulator's access token>.");
    if (path === '/emulator/sync') return request.method === 'POST' ? json(200, await sync()) : refusal(405, 'POST /emulator/sync runs one cycle.');
    if (request.method === 'GET') return json(200, state());
    if (request.method !== 'POST') return refusal(405, 'GET or POST /emulator/faults.');
    const parsed = v.safeParse(FaultsRequestSchema, jsonBody(request) ?? null);
    if (!parsed.success) {
      const issue = parsed.issues[0];
      const where = issue.path?.map((item) => String(item.key)).join('.');
      return refusal(400, `The faults request is invalid${where ? ` at ${where}` : ''}: ${issue.message}.`);
    }
    const faults = parsed.output;
    if (faults.clear) org.faults.clear();
    if (faults.failNextWrites !== undefined) {
      const { count, errorCode, message, fields, status } = faults.failNextWrites;
      if (errorCode === undefined) org.faults.failNextWrites(count);
      else org.faults.failNextWrites(count, { errorCode, message: message ?? errorCode, ...(fields === undefined ? {} : { fields }), ...(status === undefined ? {} : { status }) });
    }
    if (faults.slowMs !== undefined) org.faults.slow(faults.slowMs);
    if (faults.unavailable !== undefined) org.faults.unavailable(faults.unavailable);
    if (faults.expireSessions) org.faults.expireSessions();
    return json(200, state());
  };
}
