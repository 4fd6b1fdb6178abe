// The redaction pipeline for one clip: two ffmpeg decoders run side by side, one feeding the face
// detector every Nth frame, the other feeding the blur and the H.264 encoder. The blur side waits until
// detection is far enough ahead (the tracker's horizon) that no later detection can change the frame,
// so the whole clip's knowledge is used without holding frames in memory.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  DEFAULT_DETECTOR,
  DEFAULT_MODEL_PATH,
  FaceDetector,
  MODEL_FILE,
  MODEL_PACKAGE,
  MODEL_VERSION,
} from './detector/detector.js';
import { RedactionInputError } from './errors.js';
import { AUDIO_NOTE, type RedactionManifest, type RedactionParams } from './manifest.js';
import { DEFAULT_PIXELATE, pixelate } from './pixelate.js';
import { DEFAULT_TRACKING, Tracker } from './tracking.js';
import { Encoder, decodeFrames, probe } from './video/ffmpeg.js';

export const DEFAULT_PARAMS: RedactionParams = {
  detector: DEFAULT_DETECTOR,
  tracking: DEFAULT_TRACKING,
  pixelate: DEFAULT_PIXELATE,
  encoder: { preset: 'veryfast', crf: 20 },
};

export interface RedactOptions {
  params?: RedactionParams;
  detector?: FaceDetector;
  signal?: AbortSignal;
  onProgress?: (framesDone: number, framesTotal: number | null) => void;
}

let modelSha: string | null = null;
async function modelSha256() {
  modelSha ??= createHash('sha256')
    .update(await readFile(DEFAULT_MODEL_PATH))
    .digest('hex');
  return modelSha;
}

export async function redactClip(
  input: string,
  output: string,
  opts: RedactOptions = {},
): Promise<RedactionManifest> {
  const params = opts.params ?? DEFAULT_PARAMS;
  const started = performance.now();
  const info = await probe(input);
  const detector = opts.detector ?? (await FaceDetector.load(params.detector));
  const tracker = new Tracker(params.tracking, info.width, info.height);
  const every = params.tracking.every;

  // Detection side: how far it has got, and a way for the blur side to wait for it.
  let detectedThrough = -1;
  let detectionDone = false;
  let detectMs = 0;
  let detections = 0;
  let detectionFrames = 0;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const aborter = new AbortController();
  opts.signal?.addEventListener('abort', () => aborter.abort());

  const detecting = (async () => {
    try {
      for await (const [f, frame] of decodeFrames(input, info, { every, signal: aborter.signal })) {
        const t = performance.now();
        const faces = await detector.detect(frame, info.width, info.height);
        detectMs += performance.now() - t;
        tracker.add(f, faces);
        detections += faces.length;
        detectionFrames++;
        detectedThrough = f;
        notify();
      }
    } finally {
      detectionDone = true;
      notify();
    }
  })();
  detecting.catch(() => aborter.abort());

  const encoder = new Encoder(input, output, info, params.encoder);
  const frames: RedactionManifest['frames'] = [];
  let count = 0;
  try {
    for await (const [f, frame] of decodeFrames(input, info, { signal: aborter.signal })) {
      while (!detectionDone && detectedThrough < f + tracker.horizon) {
        await new Promise<void>((r) => (wake = r));
      }
      const boxes = tracker.boxesAt(f);
      for (const b of boxes) pixelate(frame, info.width, b, params.pixelate);
      if (boxes.length) frames.push([f, boxes.map((b) => [b.x, b.y, b.w, b.h])]);
      await encoder.write(frame);
      count = f + 1;
      if (f % 30 === 0) opts.onProgress?.(count, info.frames);
    }
    await detecting;
    if (count === 0)
      throw new RedactionInputError('unsupported-codec', 'No frame could be decoded from the clip');
    if (info.frames !== null && count < info.frames * 0.98) {
      throw new RedactionInputError(
        'truncated-input',
        `Only ${count} of ${info.frames} frames could be decoded`,
      );
    }
    await encoder.finish();
  } catch (err) {
    aborter.abort();
    encoder.kill();
    await detecting.catch(() => undefined);
    // A detector failure is the real cause when the blur side stopped because of the abort.
    throw await detecting.then(
      () => err,
      (e: unknown) => e,
    );
  } finally {
    if (!opts.detector) await detector.close();
  }
  opts.onProgress?.(count, count);

  const totalMs = performance.now() - started;
  return {
    manifestVersion: 1,
    detector: {
      name: 'MediaPipe BlazeFace (back camera model, 256×256), full frame + overlapping tiles',
      runtime: 'onnxruntime-node (CPU)',
      modelPackage: MODEL_PACKAGE,
      modelVersion: MODEL_VERSION,
      modelFile: MODEL_FILE,
      modelSha256: await modelSha256(),
    },
    params,
    input: {
      width: info.width,
      height: info.height,
      frameRate: info.frameRate,
      codec: info.codec,
      frames: count,
      hasAudio: info.hasAudio,
    },
    output: { codec: 'h264', container: 'mp4' },
    audio: AUDIO_NOTE,
    summary: { detectionFrames, detections, tracks: tracker.trackCount, framesWithBoxes: frames.length },
    frames,
    timings: {
      totalMs: Math.round(totalMs),
      detectMs: Math.round(detectMs),
      fps: Math.round((count / totalMs) * 1e4) / 10,
    },
  };
}
