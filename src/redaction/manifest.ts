import type { DetectorParams } from './detector/detector.js';
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
  summary: { detectionFrames: number; detections: number; tracks: number; framesWithBoxes: number };
  /** Boxes blurred on each frame that has any: [frame, [[x, y, w, h], …]]. */
  frames: Array<[number, Array<[number, number, number, number]>]>;
  timings: { totalMs: number; detectMs: number; fps: number };
  /** How the per-frame observations were taken (see FrameObservation). */
  observation: {
    /** Candidates scoring at or above this (and under the detector's minScore) are near misses. */
    nearMissFloor: number;
    /** The luma is box-averaged to about this width before the sharpness measure. */
    qualityWidth: number;
  };
  /** What the detector saw on every detection frame, in frame order: the risk assessment's input. */
  observations: FrameObservation[];
  /** Whether a person must review the redaction before it is approved, and why (risk.ts). */
  risk: RiskAssessment;
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

export const AUDIO_NOTE = 'Audio is copied unchanged: it is NOT redacted (audio redaction is a later step).';
