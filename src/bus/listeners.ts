// The embedded broker's network listeners: plain MQTT, MQTT over TLS, MQTT over WebSocket. Each
// only turns a connection into a byte stream and hands it to `accept`; authentication, ACL and
// the packet size guard live in broker.ts and so are the same on every listener.
import type { IncomingMessage } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Duplex } from 'node:stream';
import { WebSocketServer, createWebSocketStream } from 'ws';

export type Accept = (stream: Duplex, req?: IncomingMessage) => void;

export interface Listener {
  /** e.g. mqtts://127.0.0.1:8883 */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** PEM certificate (with any intermediates after it) and its private key. */
export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
}

/** How long a connection may take to finish its TLS handshake, like aedes' CONNECT timeout. */
const HANDSHAKE_TIMEOUT_MS = 10_000;

export const listenTcp = (host: string, port: number, accept: Accept) =>
  listen(createTcpServer(accept), 'mqtt', host, port);

export const listenTls = (host: string, port: number, tls: TlsMaterial, accept: Accept) =>
  listen(createTlsServer({ ...tls, handshakeTimeout: HANDSHAKE_TIMEOUT_MS }, accept), 'mqtts', host, port);

/** MQTT over WebSocket on a port of its own, on any path (clients usually ask for /mqtt). */
export async function listenWs(host: string, port: number, maxPacketBytes: number, accept: Accept) {
  const server = createHttpServer((_req, res) => res.writeHead(426, { Upgrade: 'websocket' }).end());
  const wss = new WebSocketServer({
    server,
    // ws buffers a whole message before the packet guard sees it, so bound it near the packet
    // limit; a message may carry several packets [MQTT-6.0.0-3], hence some headroom.
    maxPayload: 4 * (maxPacketBytes + 5),
  });
  wss.on('connection', (ws, req) => accept(createWebSocketStream(ws), req));
  const listener = await listen(server, 'ws', host, port);
  return {
    ...listener,
    close: () => {
      wss.close();
      return listener.close();
    },
  };
}

async function listen(server: Server, scheme: string, host: string, port: number): Promise<Listener> {
  // Every raw socket, to end them at close: server.close() alone would wait for each to hang up.
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `${scheme}://${shown.includes(':') ? `[${shown}]` : shown}:${bound}`,
    port: bound,
    close() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      return closed;
    },
  };
}
