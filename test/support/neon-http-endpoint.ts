/**
 * Neon's SQL-over-HTTP protocol answered from the local PostgreSQL through
 * node-postgres, on loopback (platform-notes.md). The `neon()` client POSTs
 * `{query, params}` or a batch `{queries: [...]}` with the connection string
 * in `Neon-Connection-String`; the reply carries text values in array rows
 * (`Neon-Raw-Text-Output`, `Neon-Array-Mode`), the client parses them. A batch
 * runs in one transaction with the isolation options from its headers.
 * Errors are HTTP 400 with the PostgreSQL error fields.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

const ALLOWED_HOST = '127.0.0.1';
const ALLOWED_PORT = '5432';
const ERROR_FIELDS = ['code', 'severity', 'detail', 'hint', 'position', 'schema', 'table', 'column', 'dataType', 'constraint'] as const;
// Every value stays the text PostgreSQL sent: the client applies its own parsers.
const TEXT_TYPES = { getTypeParser: () => (value: string) => value };

interface QueryData {
  readonly query: string;
  readonly params?: unknown[];
}

export interface NeonHttpEndpoint {
  readonly port: number;
  close(): Promise<void>;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function run(client: pg.PoolClient, data: QueryData) {
  const result = await client.query({ text: data.query, values: data.params ?? [], rowMode: 'array', types: TEXT_TYPES });
  return {
    fields: result.fields.map((field) => ({
      name: field.name,
      dataTypeID: field.dataTypeID,
      tableID: field.tableID,
      columnID: field.columnID,
      dataTypeSize: field.dataTypeSize,
      dataTypeModifier: field.dataTypeModifier,
      format: 'text',
    })),
    rows: result.rows,
    command: result.command,
    rowCount: result.rowCount,
    rowAsArray: true,
  };
}

function beginStatement(headers: IncomingMessage['headers']): string {
  const isolation = headers['neon-batch-isolation-level'];
  const readOnly = headers['neon-batch-read-only'];
  const deferrable = headers['neon-batch-deferrable'];
  const modes: string[] = [];
  if (typeof isolation === 'string') modes.push(`isolation level ${isolation.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`);
  if (readOnly === 'true') modes.push('read only');
  if (deferrable === 'true') modes.push('deferrable');
  return `begin ${modes.join(', ')}`;
}

export async function startNeonHttpEndpoint(): Promise<NeonHttpEndpoint> {
  const pools = new Map<string, pg.Pool>();
  const poolFor = (connectionString: string) => {
    let pool = pools.get(connectionString);
    if (pool === undefined) pools.set(connectionString, (pool = new pg.Pool({ connectionString, max: 2 })));
    return pool;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const connectionString = request.headers['neon-connection-string'];
    if (request.method !== 'POST' || typeof connectionString !== 'string') return reply(404, { message: 'not found' });
    const target = new URL(connectionString);
    if (target.hostname !== ALLOWED_HOST || (target.port || '5432') !== ALLOWED_PORT) {
      return reply(400, { message: `only ${ALLOWED_HOST}:${ALLOWED_PORT} is served` });
    }
    const body = (await readJson(request)) as QueryData | { queries: QueryData[] };
    const client = await poolFor(connectionString).connect();
    try {
      if ('queries' in body) {
        await client.query(beginStatement(request.headers));
        try {
          const results = [];
          for (const query of body.queries) results.push(await run(client, query));
          await client.query('commit');
          reply(200, { results });
        } catch (error) {
          await client.query('rollback');
          throw error;
        }
      } else {
        reply(200, await run(client, body));
      }
    } catch (error) {
      const fields = error as Record<string, unknown>;
      reply(400, { message: (error as Error).message, ...Object.fromEntries(ERROR_FIELDS.map((key) => [key, fields[key]])) });
    } finally {
      client.release();
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.all([...pools.values()].map((pool) => pool.end()));
    },
  };
}
