// One delivery attempt: POST the body with the Standard Webhooks headers (standardwebhooks.com:
// `webhook-id`, `webhook-timestamp` in seconds, `webhook-signature: v1,<base64 HMAC-SHA256 of
// "id.timestamp.body">`) to the address the guard checked, within a timeout, following no
// redirect. Never throws: the outcome is the attempt to record.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { RefusedAddress, resolveDestination, type ResolvedAddress } from './address-guard.js';
import type { DeliveryAttempt } from './webhooks.model.js';

export interface SendOptions {
  timeoutMs: number;
  allowLoopback: boolean;
}

export async function sendWebhook(
  endpoint: { url: string; secret: string },
  message: { id: string; body: string },
  opts: SendOptions,
): Promise<DeliveryAttempt> {
  const at = new Date();
  const done = (status: number | null, error: string | null): DeliveryAttempt => ({
    at,
    durationMs: Date.now() - at.getTime(),
    status,
    error,
  });
  const url = new URL(endpoint.url);
  let address: ResolvedAddress;
  try {
    // Checked again at each attempt: what a name resolves to may have changed since registration.
    [address] = (await resolveDestination(url, opts.allowLoopback)) as [ResolvedAddress];
  } catch (err) {
    return done(null, err instanceof RefusedAddress ? `refused: ${err.message}` : String(err));
  }
  const signature = new Webhook(endpoint.secret).sign(message.id, at, message.body);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'bwv-fleet-webhooks/1',
    'webhook-id': message.id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signature,
  };
  // Connect to the checked address whatever the name resolves to now (DNS rebinding).
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [address]);
    else callback(null, address.address, address.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<DeliveryAttempt>((resolve) => {
    const req = client.request(url, { method: 'POST', headers, lookup: pinned, agent: false }, (res) => {
      const status = res.statusCode ?? 0;
      // The answer is the status; the body is not read (a receiver could send any amount).
      res.destroy();
      clearTimeout(timer);
      resolve(done(status, status >= 200 && status < 300 ? null : `HTTP ${status}`));
    });
    const timer = setTimeout(
      () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    req.on('error', (err) => {
      clearTimeout(timer);
      resolve(done(null, err.message));
    });
    req.end(message.body);
  });
}
