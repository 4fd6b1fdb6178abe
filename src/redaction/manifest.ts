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
  /** Boxes blurred on each frame that has any: [frame, [[x, y, w, h], …]]. */
  frames: Array<[number, Array<[number, number, number, number]>]>;
  timings: { totalMs: number; detectMs: number; fps: number };
}

export const AUDIO_NOTE = 'Audio is copied unchanged: it is NOT redacted (audio redaction is a later step).';
