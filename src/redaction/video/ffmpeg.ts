// Debian's ffmpeg/ffprobe as child processes: probing, decoding to raw RGB24 frames on a pipe, and
// encoding raw frames back to H.264 with the original's audio copied. Frames never touch the disk.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { RedactionInputError } from '../errors.js';

export interface VideoInfo {
  width: number;
  height: number;
  /** Frame rate as ffprobe reports it, e.g. "30/1" (kept as a fraction for the encoder). */
  frameRate: string;
  fps: number;
  codec: string;
  /** Frames in the video stream when the container says so. */
  frames: number | null;
  durationSeconds: number | null;
  hasAudio: boolean;
}

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  nb_frames?: string;
  duration?: string;
}

function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const lastLine = (s: string) =>
  s
    .trim()
    .split('\n')
    .filter((l) => l.trim())
    .pop()
    ?.replace(/^.*?: /, '')
    .slice(0, 200) ?? 'no details';

const fraction = (s: string | undefined) => {
  const [n, d] = (s ?? '').split('/').map(Number);
  return n && d ? n / d : 0;
};

export async function probe(file: string): Promise<VideoInfo> {
  const res = await run('ffprobe', [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_streams',
    '-show_format',
    file,
  ]);
  if (res.code !== 0) {
    throw new RedactionInputError(
      'unreadable-input',
      `ffprobe could not read the clip: ${lastLine(res.stderr)}`,
    );
  }
  const parsed = JSON.parse(res.stdout) as { streams?: ProbeStream[] };
  const streams = parsed.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video');
  if (!video) throw new RedactionInputError('no-video-stream', 'The clip has no video stream');
  if (!video.width || !video.height || !video.codec_name) {
    throw new RedactionInputError('unsupported-codec', 'The video stream has no readable size or codec');
  }
  const rate = fraction(video.r_frame_rate) > 0 ? video.r_frame_rate! : (video.avg_frame_rate ?? '30/1');
  const frames = Number(video.nb_frames);
  const duration = Number(video.duration);
  return {
    width: video.width,
    height: video.height,
    frameRate: rate,
    fps: fraction(rate) || 30,
    codec: video.codec_name,
    frames: Number.isFinite(frames) && frames > 0 ? frames : null,
    durationSeconds: Number.isFinite(duration) ? duration : null,
    hasAudio: streams.some((s) => s.codec_type === 'audio'),
  };
}

/**
 * How frames cross the pipes: `yuv420p` is what H.264 carries, so neither ffmpeg converts and a frame
 * is half the bytes of `rgb24` (the pipeline's choice); `rgb24` is simpler to inspect (the tests).
 */
export type PixelFormat = 'rgb24' | 'yuv420p';

/** Bytes in one frame: yuv420p has a full-size luma plane and two chroma planes of half each side. */
export function frameBytes(width: number, height: number, format: PixelFormat): number {
  if (format === 'rgb24') return width * height * 3;
  return width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2);
}

/**
 * Decodes the clip's first video stream to raw frames (RGB24 unless `format` says otherwise). `every` > 1 keeps only every Nth frame
 * (the select filter drops the rest inside ffmpeg, so they never cross the pipe).
 * Yields [frameIndex, pixels]; the buffer is reused, so copy it to keep it.
 */
export async function* decodeFrames(
  file: string,
  info: Pick<VideoInfo, 'width' | 'height'>,
  opts: { every?: number; signal?: AbortSignal; format?: PixelFormat } = {},
): AsyncGenerator<[number, Uint8Array]> {
  const every = opts.every ?? 1;
  const format = opts.format ?? 'rgb24';
  const filter = every > 1 ? ['-vf', `select=not(mod(n\\,${every}))`, '-fps_mode', 'passthrough'] : [];
  const child = spawn(
    'ffmpeg',
    [
      '-v',
      'error',
      '-nostdin',
      '-i',
      file,
      '-map',
      '0:v:0',
      ...filter,
      '-f',
      'rawvideo',
      '-pix_fmt',
      format,
      'pipe:1',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const closed = once(child, 'close') as Promise<[number | null]>;
  const onAbort = () => child.kill('SIGKILL');
  opts.signal?.addEventListener('abort', onAbort);

  const size = frameBytes(info.width, info.height, format);
  const frame = new Uint8Array(size);
  let filled = 0;
  let index = 0;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let off = 0;
      while (off < chunk.length) {
        const n = Math.min(size - filled, chunk.length - off);
        frame.set(chunk.subarray(off, off + n), filled);
        filled += n;
        off += n;
        if (filled === size) {
          yield [index * every, frame];
          index++;
          filled = 0;
        }
      }
    }
    const [code] = await closed;
    if (code !== 0) {
      throw new RedactionInputError(
        'unreadable-input',
        `ffmpeg could not decode the clip: ${lastLine(stderr)}`,
      );
    }
    if (/Invalid data|corrupt|error while decoding|Truncat|partial file/i.test(stderr)) {
      throw new RedactionInputError('truncated-input', `The clip is damaged: ${lastLine(stderr)}`);
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/** An H.264 encoder fed raw frames; the original's audio streams are copied as they are. */
export class Encoder {
  private readonly child: ChildProcessWithoutNullStreams;
  private stderr = '';
  private readonly closed: Promise<[number | null]>;

  constructor(
    original: string,
    output: string,
    info: Pick<VideoInfo, 'width' | 'height' | 'frameRate' | 'hasAudio'>,
    opts: { preset: string; crf: number },
    format: PixelFormat = 'rgb24',
  ) {
    const audio = info.hasAudio ? ['-map', '1:a', '-c:a', 'copy'] : [];
    this.child = spawn(
      'ffmpeg',
      [
        '-v',
        'error',
        '-y',
        '-f',
        'rawvideo',
        '-pix_fmt',
        format,
        '-s',
        `${info.width}x${info.height}`,
        '-framerate',
        info.frameRate,
        '-i',
        'pipe:0',
        ...(info.hasAudio ? ['-i', original] : []),
        '-map',
        '0:v:0',
        ...audio,
        '-c:v',
        'libx264',
        '-preset',
        opts.preset,
        '-crf',
        String(opts.crf),
        '-pix_fmt',
        'yuv420p',
        '-movflags',
        '+faststart',
        '-f',
        'mp4',
        output,
      ],
      { stdio: ['pipe', 'ignore', 'pipe'] },
    ) as unknown as ChildProcessWithoutNullStreams;
    this.child.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    this.child.stdin.on('error', () => undefined); // reported through the exit code instead
    this.closed = once(this.child, 'close') as Promise<[number | null]>;
  }

  /** Writes one frame; waits when ffmpeg is behind (backpressure). */
  async write(frame: Uint8Array): Promise<void> {
    if (!this.child.stdin.write(frame)) {
      await Promise.race([once(this.child.stdin, 'drain'), this.closed]);
    }
  }

  async finish(): Promise<void> {
    this.child.stdin.end();
    const [code] = await this.closed;
    if (code !== 0) throw new Error(`ffmpeg encoder failed (${code}): ${lastLine(this.stderr)}`);
  }

  kill() {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
