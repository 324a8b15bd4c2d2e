/**
 * A WebSocket-to-TCP proxy on loopback for `@neondatabase/serverless` in
 * WebSocket mode (platform-notes.md): each WebSocket is piped to the
 * PostgreSQL server at 127.0.0.1:5432, and to nothing else.
 */
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { neonConfig } from '@neondatabase/serverless';
import ws, { WebSocketServer } from 'ws';

const ALLOWED_ADDRESS = '127.0.0.1:5432';

export interface NeonProxy {
  readonly port: number;
  close(): Promise<void>;
}

export async function startNeonProxy(): Promise<NeonProxy> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  server.on('connection', (socket, request) => {
    const address = new URL(request.url ?? '/', 'http://proxy').searchParams.get('address');
    if (address !== ALLOWED_ADDRESS) {
      socket.close(1008, `only ${ALLOWED_ADDRESS} is allowed`);
      return;
    }
    const [host, port] = ALLOWED_ADDRESS.split(':') as [string, string];
    const tcp = connect({ host, port: Number(port) });
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: Buffer) => tcp.write(data));
    tcp.on('data', (data) => socket.send(data));
    socket.on('close', () => tcp.destroy());
    tcp.on('close', () => socket.close());
    tcp.on('error', () => socket.close());
    socket.on('error', () => tcp.destroy());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

/**
 * Point the Neon driver at the local PostgreSQL: WebSocket mode through
 * `proxy`, HTTP mode (when `httpPort` is given) through a local SQL-over-HTTP
 * endpoint (platform-notes.md lists why each setting is needed).
 */
export function useLocalNeon(proxy: NeonProxy, httpPort?: number): void {
  neonConfig.webSocketConstructor = ws;
  neonConfig.wsProxy = (host, port) => `127.0.0.1:${proxy.port}/v2?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
  if (httpPort !== undefined) neonConfig.fetchEndpoint = () => `http://127.0.0.1:${httpPort}/sql`;
}
