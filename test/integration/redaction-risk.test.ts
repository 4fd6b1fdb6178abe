// Fail-safe, not fail-silent, on real footage (real photographs, real ffmpeg, the real face model):
// a clip too dark to judge, one too blurred to judge and one where a face appears for a moment and
// vanishes are flagged for review with their reasons; the clean clip is not. And `npm run redact`,
// run as a user would, on a real clip and on bad input.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Box } from '../../src/redaction/box.js';
import { FaceDetector } from '../../src/redaction/detector/detector.js';
import type { RedactionManifest } from '../../src/redaction/manifest.js';
import { DEFAULT_PARAMS, redactClip } from '../../src/redaction/redact.js';
import { RISK_THRESHOLDS } from '../../src/redaction/risk.js';
import { renderClip, standardClip, type ClipSpec } from '../helpers/footage.js';

const run = promisify(execFile);
const W = 640;
const H = 360;
const FRAMES = 30;
const ROOT = path.resolve(import.meta.dirname, '../..');

/** Re-encodes `src` through an ffmpeg filter (darkening, blurring), as a camera would have recorded it. */
const filtered = (src: string, out: string, vf: string) =>
  run('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-i',
    src,
    '-vf',
    vf,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-crf',
    '16',
    out,
  ]);

/** The standard scene plus a third person who is there for frames 18–23 only. */
function flickerClip(): ClipSpec {
  const spec = standardClip(W, H, FRAMES, 30);
  spec.people.push({
    photo: 'portrait',
    crop: { x: 60, y: 40, w: 320, h: 320 },
    from: { x: 20, y: 10, w: 130, h: 130 },
    to: { x: 20, y: 10, w: 130, h: 130 },
    visible: [18, 23],
  });
  return spec;
}

const codes = (m: RedactionManifest) => m.risk.reasons.map((r) => r.code);
const covered = (face: Box, boxes: Array<[number, number, number, number]>) =>
  boxes.some(
    ([x, y, w, h]) =>
      x <= face.x + 1 && y <= face.y + 1 && x + w >= face.x + face.w - 1 && y + h >= face.y + face.h - 1,
  );

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bwv-risk-'));
  await renderClip(standardClip(W, H, FRAMES, 30, true), path.join(dir, 'clean.mp4'));
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('redaction risk on real footage', () => {
  const manifests: Record<'clean' | 'dark' | 'blurred' | 'flicker', RedactionManifest> = {} as never;
  let flickerTruth: Box[][];

  beforeAll(async () => {
    const clean = path.join(dir, 'clean.mp4');
    flickerTruth = await renderClip(flickerClip(), path.join(dir, 'flicker.mp4'));
    // Night: the luma squeezed to an eighth of its range above black.
    await filtered(clean, path.join(dir, 'dark.mp4'), 'lutyuv=y=16+(val-16)*0.12');
    // Out of focus: a Gaussian blur of 6 px (at 640 wide).
    await filtered(clean, path.join(dir, 'blurred.mp4'), 'gblur=sigma=6');
    // One detector for the four clips (as a worker keeps its processes busy, clip after clip).
    const detector = await FaceDetector.load(DEFAULT_PARAMS.detector);
    try {
      for (const name of ['clean', 'dark', 'blurred', 'flicker'] as const) {
        manifests[name] = await redactClip(path.join(dir, `${name}.mp4`), path.join(dir, `${name}-out.mp4`), {
          detector,
        });
      }
    } finally {
      await detector.close();
    }
  }, 120_000);

  it('records what the detector saw on every detection frame', () => {
    const m = manifests.clean;
    const every = DEFAULT_PARAMS.tracking.every;
    expect(m.observations.map((o) => o.f)).toEqual(
      Array.from({ length: Math.ceil(FRAMES / every) }, (_, i) => i * every),
    );
    expect(m.observation.nearMissFloor).toBeCloseTo(
      DEFAULT_PARAMS.detector.minScore - RISK_THRESHOLDS.nearMissMargin,
    );
    for (const o of m.observations) {
      expect(o.luma).toBeGreaterThan(60);
      expect(o.sharpness).toBeGreaterThan(RISK_THRESHOLDS.blurSharpness * 5);
      for (const [, , w, h, score, track] of o.faces) {
        expect(w * h).toBeGreaterThan(0);
        // Each model keeps faces from its own threshold (CenterFace's is the lower).
        expect(score).toBeGreaterThanOrEqual(
          Math.min(DEFAULT_PARAMS.detector.minScore, DEFAULT_PARAMS.detector.centerFace!.minScore),
        );
        expect(track).toBeGreaterThan(0);
      }
    }
    // The three people are three steady, confident tracks (beside them the second model may keep a
    // weak candidate, blurred to be safe).
    const confident = m.observations.flatMap((o) =>
      o.faces.filter((d) => d[4] >= RISK_THRESHOLDS.flickerMinScore).map((d) => d[5]),
    );
    expect(new Set(confident).size).toBe(3);
    expect(m.summary.detections).toBe(m.observations.reduce((s, o) => s + o.faces.length, 0));
  });

  it('does not flag the clean clip', () => {
    expect(manifests.clean.risk).toMatchObject({ reviewRequired: false, reasons: [] });
    expect(manifests.clean.risk.measures).toMatchObject({
      darkShare: 0,
      blurredShare: 0,
      flickeringTracks: 0,
    });
  });

  it('flags the dark clip as too dark to judge', () => {
    expect(manifests.dark.risk.reviewRequired).toBe(true);
    expect(codes(manifests.dark)).toContain('too-dark');
    expect(manifests.dark.risk.measures.darkShare).toBe(1);
    const n = Math.ceil(FRAMES / DEFAULT_PARAMS.tracking.every);
    expect(manifests.dark.risk.reasons.find((r) => r.code === 'too-dark')!.detail).toMatch(
      new RegExp(`^100% \\(${n} of ${n}\\) of detection frames too dark`),
    );
  });

  it('flags the blurred clip as too blurred to judge (not as dark)', () => {
    expect(manifests.blurred.risk.reviewRequired).toBe(true);
    expect(codes(manifests.blurred)).toContain('too-blurred');
    expect(codes(manifests.blurred)).not.toContain('too-dark');
  });

  it('flags the face that appears and vanishes, naming its frames, and still blurs it', () => {
    const m = manifests.flicker;
    expect(m.risk.reviewRequired).toBe(true);
    expect(codes(m)).toContain('faces-flicker');
    // The detection frames while the face is there (frames 18–23).
    const seen = [18, 19, 20, 21, 22, 23].filter((f) => f % DEFAULT_PARAMS.tracking.every === 0);
    expect(m.risk.reasons.find((r) => r.code === 'faces-flicker')!.detail).toMatch(
      new RegExp(`^1 face appeared and vanished: frames (${seen.join('|')})–(${seen.join('|')})`),
    );
    for (let f = 18; f <= 23; f++) {
      const boxes = m.frames.find(([n]) => n === f)?.[1] ?? [];
      for (const face of flickerTruth[f]!) {
        expect({ f, face, covered: covered(face, boxes) }).toEqual({ f, face, covered: true });
      }
    }
  });
});

describe('npm run redact', () => {
  /** Runs the command as a user types it; resolves with its exit code and output. */
  const redact = async (...args: string[]) => {
    try {
      // From the clips' directory, as a user would (npm tells the script where it was typed).
      const { stdout, stderr } = await run('npm', ['--prefix', ROOT, 'run', '-s', 'redact', '--', ...args], {
        cwd: dir,
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+/);

  it('redacts a clip, writes the manifest beside it and prints a summary', async () => {
    const res = await redact('clean.mp4', 'out.mp4');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('redacted   clean.mp4 → out.mp4');
    expect(res.stdout).toMatch(/video {6}640×360, 30 frames at 30 fps, audio copied unchanged/);
    const n = Math.ceil(FRAMES / DEFAULT_PARAMS.tracking.every);
    // The three people (and at most a weak candidate or two, blurred to be safe).
    expect(res.stdout).toMatch(new RegExp(`faces {6}\\d+ detections on ${n} detection frames, [345] tracks`));
    expect(res.stdout).toMatch(/speed {6}[\d.]+ fps/);
    expect(res.stdout).toContain('manifest   out.mp4.manifest.json');
    expect(res.stdout).toContain('review     not required');
    expect((await stat(path.join(dir, 'out.mp4'))).size).toBeGreaterThan(1000);
    const manifest = JSON.parse(
      await readFile(path.join(dir, 'out.mp4.manifest.json'), 'utf8'),
    ) as RedactionManifest;
    // The worker's defaults, the same pipeline.
    expect(manifest.params).toEqual(DEFAULT_PARAMS);
    expect(manifest.input).toMatchObject({ width: W, height: H, frames: 30, hasAudio: true });
    expect(manifest.risk.reviewRequired).toBe(false);
    expect(manifest.observations).toHaveLength(n);
  }, 60_000);

  it('fails bad input with its reason and a non-zero exit, no stack trace and no output left', async () => {
    await writeFile(path.join(dir, 'junk.mp4'), 'this is not a video');
    const junk = await redact('junk.mp4', 'junk-out.mp4');
    expect(junk.code).toBe(1);
    expect(junk.stderr).toMatch(/^redact: unreadable-input: ffprobe could not read the clip/m);
    noStack(junk.stderr);
    await expect(stat(path.join(dir, 'junk-out.mp4'))).rejects.toThrow();
    await expect(stat(path.join(dir, 'junk-out.mp4.manifest.json'))).rejects.toThrow();

    const missing = await redact('nowhere.mp4', 'x.mp4');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^redact: unreadable-input: cannot read nowhere\.mp4: no such file/m);
    noStack(missing.stderr);

    // Audio only: no video to redact.
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'sine=duration=1',
      path.join(dir, 'tone.m4a'),
    ]);
    const audio = await redact('tone.m4a', 'tone.mp4');
    expect(audio.code).toBe(1);
    expect(audio.stderr).toMatch(/^redact: no-video-stream: The clip has no video stream/m);
    noStack(audio.stderr);

    const usage = await redact('clean.mp4');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^usage: npm run redact -- <input video> <output\.mp4>/m);
    noStack(usage.stderr);
  }, 60_000);
});
