import type { DetectorParams } from './detector/detector.js';
import type { PixelateParams } from './pixelate.js';
import type { TrackingParams } from './tracking.js';

export interface RedactionParams {
  detector: DetectorParams;
  tracking: TrackingParams;
  pixelate: PixelateParams;
  encoder: { preset: string; crf: number };
}

/** What was done to a clip, stored beside the derivative; enough to reproduce and to challenge it. */
export interface RedactionManifest {
  manifestVersion: 1;
  detector: {
    name: string;
    runtime: string;
    modelPackage: string;
    modelVersion: string;
    modelFile: string;
    modelSha256: string;
  };
  params: RedactionParams;
  input: {
    width: number;
    height: number;
    frameRate: string;
    codec: string;
    frames: number;
    hasAudio: boolean;
  };
  output: { codec: 'h264'; container: 'mp4' };
  audio: string;
  summary: { detectionFrames: number; detections: number; tracks: number; framesWithBoxes: number };
  /**
   * Every model that ran, with the package it came from and the SHA-256 of the file loaded (manifests
   * written before the second model have only `detector`).
   */
  models?: ModelRecord[];
  /** Boxes blurred on each frame that has any: [frame, [[x, y, w, h], …]]. */
  frames: Array<[number, Array<[number, number, number, number]>]>;
  /**
   * What put each box of `frames` there, in the same order: the models and passes of its track
   * (`blazeface`, `centerface:overview`, `centerface:tile4`, joined by `+`), prefixed `tracked:` on a
   * frame where the track was not detected (interpolated, bridged or kept alive).
   */
  boxSources?: Array<[number, string[]]>;
  timings: { totalMs: number; detectMs: number; fps: number };
}

export interface ModelRecord {
  /** What the pipeline uses it for. */
  role: string;
  name: string;
  /** Registry and package it is fetched from (scripts/fetch-model.sh checks the package's hash). */
  package: string;
  version: string;
  /** The file inside the package, and the file loaded (after any rewrite) with its SHA-256. */
  file: string;
  loaded: string;
  sha256: string;
  licence: string;
}

export const AUDIO_NOTE = 'Audio is copied unchanged: it is NOT redacted (audio redaction is a later step).';
