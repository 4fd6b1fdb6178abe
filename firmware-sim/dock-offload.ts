// What a simulated dock does with a docked camera's footage: it makes a short synthetic H.264 clip
// with Debian's ffmpeg (a real photograph of a person from opencv-doc panning across the frame, or
// ffmpeg's test pattern when that package is absent) and offloads it as a real dock does —
// `POST /api/v1/clips`, the clip streamed as the body, HTTP Basic with the dock's device credentials,
// the camera, recording times and the SHA-256 the dock computed in the query string.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A head-and-shoulders portrait Debian's opencv-doc ships (installed by scripts/setup.sh). */
export const PORTRAIT = '/usr/share/doc/opencv-doc/opencv4/html/227943776_1.jpg';

export interface ClipOptions {
  seconds?: number;
  fps?: number;
  width?: number;
  height?: number;
  /** Varies the pan so each clip has its own content (and so its own hash). */
  variant?: number;
  /** `photo` (default when the photograph is installed) or ffmpeg's `testsrc` pattern. */
  source?: 'photo' | 'testsrc';
}

/** Writes a synthetic H.264/MP4 clip to `out`. */
export async function makeSyntheticClip(out: string, opts: ClipOptions = {}): Promise<void> {
  const seconds = opts.seconds ?? 2;
  const fps = opts.fps ?? 15;
  const width = opts.width ?? 640;
  const height = opts.height ?? 360;
  const variant = opts.variant ?? 0;
  const source = opts.source ?? (existsSync(PORTRAIT) ? 'photo' : 'testsrc');
  const encode = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p'];
  const container = ['-movflags', '+faststart', '-f', 'mp4', '-y', out];
  let args: string[];
  if (source === 'photo') {
    // The person crosses the frame: a pan, as a camera on a moving officer sees it.
    const side = Math.round(height * 0.75);
    const travel = width - side;
    const x = `${(variant * 37) % Math.max(1, travel >> 2)}+${travel >> 1}*t/${seconds}`;
    const y = Math.round((height - side) / 2);
    args = [
      ...['-v', 'error', '-f', 'lavfi', '-i'],
      `color=c=0x34404a:s=${width}x${height}:r=${fps}:d=${seconds}`,
      ...['-loop', '1', '-i', PORTRAIT, '-filter_complex'],
      `[1:v]scale=${side}:${side}[p];[0:v][p]overlay=x='${x}':y=${y}:shortest=1`,
      ...['-t', String(seconds)],
    ];
  } else {
    args = [
      ...['-v', 'error', '-f', 'lavfi', '-i'],
      `testsrc=size=${width}x${height}:rate=${fps}:duration=${seconds}`,
      ...['-vf', `hue=h=${(variant * 29) % 360}`],
    ];
  }
  await run('ffmpeg', [...args, ...encode, ...container]);
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

export interface OffloadRequest {
  /** Base URL of the platform, e.g. http://127.0.0.1:3000 */
  api: string;
  /** The dock's device credentials (username `dock:{id}`). */
  dock: { username: string; password: string };
  camera: string;
  file: string;
  recordedFrom: Date;
  recordedTo: Date;
}

export interface OffloadResponse {
  status: number;
  body: Record<string, unknown>;
}

/** Streams one clip to the platform as the dock; never holds the file in memory. */
export async function offloadClip(req: OffloadRequest): Promise<OffloadResponse> {
  const [sha256, { size }] = await Promise.all([sha256File(req.file), stat(req.file)]);
  const q = new URLSearchParams({
    camera: req.camera,
    recordedFrom: req.recordedFrom.toISOString(),
    recordedTo: req.recordedTo.toISOString(),
    sha256,
  });
  const url = new URL(`/api/v1/clips?${q.toString()}`, req.api);
  const basic = Buffer.from(`${req.dock.username}:${req.dock.password}`).toString('base64');
  return new Promise<OffloadResponse>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'video/mp4',
        'content-length': String(size),
      },
    });
    request.once('error', reject);
    request.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.once('error', reject);
      res.once('end', () => {
        let body: Record<string, unknown> = {};
        try {
          body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } catch {
          body = { detail: text.slice(0, 200) };
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    createReadStream(req.file).once('error', reject).pipe(request);
  });
}
