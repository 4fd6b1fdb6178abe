// Runs one clip of the redaction evaluation set end to end and prints the figures as JSON: builds the
// scene, renders the clip, redacts it with the platform's pipeline and defaults, and measures coverage.
// A separate plain Node process (run with tsx) because the per-pixel work of composing clips and
// measuring them is an order of magnitude slower inside jest's VM-module sandbox than outside it.
// Usage: tsx test/helpers/eval-run.ts <still|moving> <frames> <dir>
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { redactClip } from '../../src/redaction/redact.js';
import { decodeFrames, probe } from '../../src/redaction/video/ffmpeg.js';
import { buildScene, coverage, evalClips, renderCrowdClip, type FaceTruth } from './faces.js';

async function rgbFrames(file: string) {
  const info = await probe(file);
  const frames: Uint8Array[] = [];
  for await (const [, f] of decodeFrames(file, info)) frames.push(f.slice());
  return frames;
}

/** The truth restricted to faces the goal speaks of (`px` high and up on the frame). */
export const atLeast = (truth: FaceTruth[], px: number): FaceTruth[] =>
  truth.map((t) => ({ ...t, boxes: t.boxes.map((b) => (b && b.h >= px ? b : null)) }));

const [name, frames, dir] = process.argv.slice(2) as ['still' | 'moving', string, string];
const spec = evalClips({ still: Number(frames), moving: Number(frames) })[name];
const scene = await buildScene(spec.scene);
const input = path.join(dir, `${name}.mp4`);
const output = path.join(dir, `${name}-out.mp4`);
const truth = await renderCrowdClip(scene, spec.camera, input);
const manifest = await redactClip(input, output);
const original = await rgbFrames(input);
const redacted = await rgbFrames(output);
const { width, height } = spec.camera;
const result = {
  faces: truth.length,
  /** The unredacted clip measured as if redacted: the measure must find nothing covered. */
  unredacted: coverage(truth, original, original, width, height),
  all: coverage(truth, original, redacted, width, height),
  goal: coverage(atLeast(truth, 20), original, redacted, width, height),
  manifest,
};
await writeFile(path.join(dir, `${name}.json`), JSON.stringify(result));
