// A dock's offload over HTTP, as the dock does it: the clip streamed as the body, Basic auth with the
// dock's device credentials, metadata and the SHA-256 in the query string.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export interface OffloadResult {
  status: number;
  body: Record<string, unknown>;
}

export async function offload(
  baseUrl: string,
  creds: { username: string; password: string },
  file: string | Buffer,
  opts: { camera?: string; sha256?: string; cutAfter?: number; recordedFrom?: Date; recordedTo?: Date } = {},
): Promise<OffloadResult> {
  const data = typeof file === 'string' ? await readFile(file) : file;
  const q = new URLSearchParams({
    camera: opts.camera ?? 'CAM001',
    recordedFrom: opts.recordedFrom?.toISOString() ?? '2026-11-24T10:00:00Z',
    recordedTo: opts.recordedTo?.toISOString() ?? '2026-11-24T10:00:02Z',
    sha256: opts.sha256 ?? sha256(data),
  });
  const url = new URL(`/api/v1/clips?${q.toString()}`, baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`,
        'content-type': 'video/mp4',
        'content-length': String(data.length),
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        }),
      );
    });
    req.on('error', (err) => (opts.cutAfter === undefined ? reject(err) : resolve({ status: 0, body: {} })));
    if (opts.cutAfter !== undefined) {
      // A dock losing power mid-upload: part of the body, then the connection drops.
      req.write(data.subarray(0, opts.cutAfter), () => setTimeout(() => req.destroy(), 100));
    } else {
      req.end(data);
    }
  });
}
