/** The emulator's one HTTP server on 127.0.0.1, and the small helpers its handlers share. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Request bodies larger than this are refused (413), as an API gateway would. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** A request as the handlers see it. */
export interface ApiRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  /** The raw body text ('' when none). */
  readonly body: string;
}

/** A reply: status, JSON body (or none, or `raw` text sent as JSON), extra headers. */
export interface ApiReply {
  readonly status: number;
  readonly body?: unknown;
  readonly raw?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A handler answers the requests it knows and returns undefined for the
 * others; null leaves the request unanswered (a hang, for tests of clients).
 */
export type ApiHandler = (request: ApiRequest) => Promise<ApiReply | null | undefined>;

/** A JSON reply. */
export function json(status: number, body?: unknown, headers?: Readonly<Record<string, string>>): ApiReply {
  return { status, ...(body === undefined ? {} : { body }), ...(headers === undefined ? {} : { headers }) };
}

class BodyTooLarge extends Error {}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, reply: ApiReply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.raw !== undefined) {
    response.writeHead(reply.status, { 'Content-Type': 'application/json', ...headers });
    response.end(reply.raw);
    return;
  }
  if (reply.body === undefined) {
    response.writeHead(reply.status, headers);
    response.end();
    return;
  }
  response.writeHead(reply.status, { 'Content-Type': 'application/json;charset=UTF-8', ...headers });
  response.end(JSON.stringify(reply.body));
}

/** A listening server. */
export interface ApiServer {
  readonly port: number;
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * Listen on 127.0.0.1:`port` (0: a free one) and answer with the first
 * handler that knows the request; `fallback` for the rest, and for errors a
 * handler throws (its reply body says what went wrong).
 */
export async function startApiServer(
  handlers: readonly ApiHandler[],
  port: number,
  onError: (error: unknown, request: ApiRequest) => ApiReply,
): Promise<ApiServer> {
  const server: Server = createServer((incoming, response) => {
    void (async () => {
      let request: ApiRequest = { method: incoming.method ?? 'GET', url: new URL(incoming.url ?? '/', 'http://127.0.0.1'), headers: incoming.headers, body: '' };
      try {
        request = { ...request, body: await readBody(incoming) };
        for (const handler of handlers) {
          const reply = await handler(request);
          if (reply === null) return;
          if (reply !== undefined) return send(response, reply);
        }
        send(response, json(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist', fields: [] }]));
      } catch (error) {
        if (error instanceof BodyTooLarge) return send(response, json(413, [{ errorCode: 'REQUEST_ENTITY_TOO_LARGE', message: 'The request body is too large.', fields: [] }]));
        send(response, onError(error, request));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    port: bound,
    baseUrl: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The JSON body of a request, or undefined when it is not JSON. */
export function jsonBody(request: ApiRequest): unknown {
  if (request.body.trim() === '') return undefined;
  try {
    return JSON.parse(request.body) as unknown;
  } catch {
    return undefined;
  }
}
