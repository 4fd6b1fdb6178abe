// The HTTP server on PORT/HOST, and how to stop it without cutting requests short.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';

export async function listen(app: RequestListener, port: number, host: string) {
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return { server, url: `http://${shown}:${bound}` };
}

/**
 * Stops accepting; in-flight requests finish. server.close() only drops the keep-alive sockets idle
 * at that moment, so keep dropping those that go idle as their last response completes. `upgraded`
 * closes the live sockets, upgraded connections the HTTP server no longer tracks.
 */
export async function stopServer(server: http.Server, upgraded: () => Promise<void>) {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  await upgraded();
  const force = setTimeout(() => server.closeAllConnections(), 5_000).unref();
  await closed;
  clearInterval(sweep);
  clearTimeout(force);
}
