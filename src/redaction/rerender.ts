// A new revision of a clip's redacted copy after a reviewer marked a face the detector missed: from
// the ORIGINAL (never from the redacted copy, which would pixelate twice and lose quality), with every
// box of the previous revision's manifest plus the marked face, followed across frames
// (manual-tracking.ts) and padded and pixelated like a detected face. The detector does not run
// again: the previous revision's boxes are its findings, and the reviewer has seen them.
// Two decode passes: the first follows the mark (it needs the marked frame before the frames before
// it can be matched), the second pixelates and encodes, audio copied as in the first redaction.
import type { Box } from './box.js';
import { pad, roundBox } from './box.js';
import type { ManualAddition, RedactionManifest } from './manifest.js';
import { pixelateYuv420 } from './pixelate.js';
import { FORMAT } from './redact.js';
import { RedactionInputError } from './errors.js';
import { DEFAULT_MANUAL_TRACKING, MarkTracker, type ManualTrackingParams } from './manual-tracking.js';
import { Encoder, decodeFrames, probe } from './video/ffmpeg.js';

export interface MissedFace {
  mark: number;
  frame: number;
  box: Box;
  note: string | null;
  by: string;
  at: Date;
}

export interface RerenderOptions {
  /** The manifest of the revision this one replaces (its boxes are kept). */
  previous: RedactionManifest;
  /** SHA-256 of the redacted copy this one replaces. */
  previousSha256: string;
  revision: number;
  missed: MissedFace;
  tracking?: ManualTrackingParams;
  signal?: AbortSignal;
  onProgress?: (framesDone: number, framesTotal: number | null) => void;
}

type FrameBoxes = RedactionManifest['frames'][number][1];

export async function rerenderClip(
  input: string,
  output: string,
  o: RerenderOptions,
): Promise<RedactionManifest> {
  const started = performance.now();
  const info = await probe(input);
  const { previous, missed } = o;
  const trackingParams = o.tracking ?? DEFAULT_MANUAL_TRACKING;
  const yBytes = info.width * info.height;

  // Pass 1: follow the marked face.
  const tracker = new MarkTracker(missed, info.width, info.height, trackingParams);
  for await (const [f, frame] of decodeFrames(input, info, { format: FORMAT, signal: o.signal })) {
    tracker.feed(f, frame.subarray(0, yBytes));
  }
  const tracked = tracker.result();
  const padding = previous.params.tracking.padding;
  const manualBoxes = new Map<number, Box>();
  for (const [f, b] of tracked.boxes) {
    const padded = pad(roundBox(b), padding, info.width, info.height);
    if (padded.w > 0 && padded.h > 0) manualBoxes.set(f, padded);
  }

  // Pass 2: every box of the previous revision plus the new one, on the original's frames.
  const before = new Map<number, FrameBoxes>(previous.frames);
  const encoder = new Encoder(input, output, info, previous.params.encoder, FORMAT);
  const frames: RedactionManifest['frames'] = [];
  let count = 0;
  try {
    for await (const [f, frame] of decodeFrames(input, info, { format: FORMAT, signal: o.signal })) {
      const boxes: FrameBoxes = [...(before.get(f) ?? [])];
      const manual = manualBoxes.get(f);
      if (manual) boxes.push([manual.x, manual.y, manual.w, manual.h]);
      for (const [x, y, w, h] of boxes) {
        pixelateYuv420(frame, info.width, info.height, { x, y, w, h }, previous.params.pixelate);
      }
      if (boxes.length) frames.push([f, boxes]);
      await encoder.write(frame);
      count = f + 1;
      if (f % 30 === 0) o.onProgress?.(count, info.frames);
    }
    if (count === 0)
      throw new RedactionInputError('unsupported-codec', 'No frame could be decoded from the clip');
    await encoder.finish();
  } catch (err) {
    encoder.kill();
    throw err;
  }

  const addition: ManualAddition = {
    mark: missed.mark,
    frame: missed.frame,
    box: missed.box,
    note: missed.note,
    by: missed.by,
    at: missed.at.toISOString(),
    span: tracked.span,
    track: [...manualBoxes].sort((a, b) => a[0] - b[0]).map(([f, b]) => [f, [b.x, b.y, b.w, b.h]]),
  };
  const manual = [...(previous.manual ?? []), addition];
  return {
    ...previous,
    revision: o.revision,
    previous: o.previousSha256,
    manual,
    manualTracking: trackingParams,
    summary: {
      ...previous.summary,
      framesWithBoxes: frames.length,
      manualAdditions: manual.length,
    },
    frames,
    timings: { ...previous.timings, rerenderMs: Math.round(performance.now() - started) },
  };
}
