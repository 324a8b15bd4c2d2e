/**
 * LISTEN on the trigger log's channel (`triggerLogChannel(schema)`), as
 * Heroku Connect's database poller does (heroku-connect.md §2.3, §3.5), on
 * whichever client is behind the Drizzle db: a node-postgres pool (one
 * connection of its own), a node-postgres client, or PGlite.
 */
import type { AnyPgDatabase } from '../../compat.ts';
import { ident } from '../../dev/sql-text.ts';

interface PgNotification {
  readonly channel: string;
}
interface PgClientLike {
  query(text: string): Promise<unknown>;
  on(event: 'notification', listener: (message: PgNotification) => void): unknown;
  removeListener(event: 'notification', listener: (message: PgNotification) => void): unknown;
}
interface PgPoolLike {
  connect(): Promise<PgClientLike & { release(destroy?: boolean): void }>;
  totalCount: number;
}
interface PgliteLike {
  listen(channel: string, callback: (payload: string) => void): Promise<unknown>;
  unlisten(channel: string, callback: (payload: string) => void): Promise<void>;
}

/** Call `onNotify` whenever one of `channels` is notified; resolves to a stop function. */
export async function listenForLogs(db: AnyPgDatabase, channels: readonly string[], onNotify: () => void): Promise<() => Promise<void>> {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (client !== null && typeof client === 'object' && typeof (client as PgliteLike).listen === 'function') {
    // PGlite sends `LISTEN <channel>` as given and matches notifications by the unquoted name. Its
    // own stop function sends the unquoted name back (a syntax error here), so unlisten as listened.
    const pglite = client as PgliteLike;
    const callback = () => onNotify();
    for (const channel of channels) await pglite.listen(ident(channel), callback);
    return async () => {
      for (const channel of channels) await pglite.unlisten(ident(channel), callback);
    };
  }
  const isPool = client !== null && typeof client === 'object' && 'totalCount' in client;
  const connection = isPool ? await (client as PgPoolLike).connect() : (client as PgClientLike);
  const listener = (message: PgNotification) => {
    if (channels.includes(message.channel)) onNotify();
  };
  connection.on('notification', listener);
  for (const channel of channels) await connection.query(`listen ${ident(channel)}`);
  return async () => {
    connection.removeListener('notification', listener);
    try {
      for (const channel of channels) await connection.query(`unlisten ${ident(channel)}`);
    } finally {
      if (isPool) (connection as PgClientLike & { release(destroy?: boolean): void }).release();
    }
  };
}
