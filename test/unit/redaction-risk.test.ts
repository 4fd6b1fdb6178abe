// The risk assessment over a redaction's manifest (fail-safe, not fail-silent), and the frame
// measures it reads: which clips a person must review before approval, and the reasons given.
import { describe, expect, it } from '@jest/globals';
import { frameQuality } from '../../src/redaction/frame-quality.js';
import type { FrameObservation } from '../../src/redaction/manifest.js';
import { assessRisk, frameRate, RISK_THRESHOLDS, type RiskInput } from '../../src/redaction/risk.js';

const FPS = '30/1';

/** Detection frames every 3rd frame over `n` frames; `face(f)` gives the track ids seen on frame f. */
function observe(
  n: number,
  opts: {
    tracks?: (f: number) => number[];
    score?: (track: number) => number;
    nearMisses?: (f: number) => number;
    luma?: (f: number) => number;
    sharpness?: (f: number) => number;
  } = {},
): FrameObservation[] {
  const out: FrameObservation[] = [];
  for (let f = 0; f < n; f += 3) {
    out.push({
      f,
      faces: (opts.tracks?.(f) ?? [1]).map((t) => [100 * t, 50, 40, 40, opts.score?.(t) ?? 0.9, t]),
      nearMisses: opts.nearMisses?.(f) ?? 0,
      luma: opts.luma?.(f) ?? 90,
      sharpness: opts.sharpness?.(f) ?? 200,
    });
  }
  return out;
}

const manifest = (observations: FrameObservation[]): RiskInput => ({
  input: { frameRate: FPS, frames: (observations.at(-1)?.f ?? 0) + 1 },
  observations,
});
const codes = (m: ReturnType<typeof manifest>) => assessRisk(m).reasons.map((r) => r.code);

describe('risk assessment', () => {
  it('passes a clip with steady faces, sharp and bright enough: no review required', () => {
    const risk = assessRisk(manifest(observe(90, { tracks: () => [1, 2] })));
    expect(risk).toMatchObject({ reviewRequired: false, reasons: [] });
    expect(risk.measures).toMatchObject({ observedFrames: 30, tracks: 2, flickeringTracks: 0 });
    expect(risk.thresholds).toEqual(RISK_THRESHOLDS);
  });

  it('flags a face that appears for a moment in the middle of the clip and vanishes', () => {
    const m = manifest(observe(90, { tracks: (f) => (f === 30 || f === 33 ? [1, 2] : [1]) }));
    const risk = assessRisk(m);
    expect(risk.reviewRequired).toBe(true);
    expect(risk.reasons).toEqual([
      { code: 'faces-flicker', detail: '1 face appeared and vanished: frames 30–33 (seen 2 times)' },
    ]);
    expect(risk.measures.flickeringTracks).toBe(1);
  });

  it('does not count a face entering at the end or leaving at the start as vanishing', () => {
    expect(codes(manifest(observe(90, { tracks: (f) => (f >= 84 ? [1, 2] : [1]) })))).toEqual([]);
    expect(codes(manifest(observe(90, { tracks: (f) => (f <= 3 ? [1, 2] : [1]) })))).toEqual([]);
  });

  it('flags a face that is lost and found again repeatedly, not one seen on alternate frames', () => {
    // Seen every other detection frame (a tile looked at every 6 frames): steady.
    expect(codes(manifest(observe(90, { tracks: (f) => (f % 6 === 0 ? [1, 2] : [1]) })))).toEqual([]);
    // Gone for 12 frames (over 0.3 s) twice.
    const lost = (f: number) => (f >= 15 && f < 27) || (f >= 51 && f < 63);
    const risk = assessRisk(manifest(observe(90, { tracks: (f) => (lost(f) ? [1] : [1, 2]) })));
    expect(risk.reasons).toEqual([
      {
        code: 'faces-flicker',
        detail: '1 face appeared and vanished: frames 0–87 (lost and found again 2 times)',
      },
    ]);
  });

  it('does not count a weak candidate coming and going (blurred to be safe), only a confident face', () => {
    const blip = (f: number) => (f === 30 ? [1, 2] : [1]);
    expect(codes(manifest(observe(90, { tracks: blip, score: (t) => (t === 2 ? 0.2 : 0.9) })))).toEqual([]);
    expect(codes(manifest(observe(90, { tracks: blip, score: (t) => (t === 2 ? 0.5 : 0.9) })))).toEqual([
      'faces-flicker',
    ]);
  });

  it("does not count as breaks the waits between two looks of the tiles' rotation", () => {
    // Seen every 36 frames (a 720p tile's turn): broken with no revisit given, steady with it.
    const tileOnly = (f: number) => (f % 36 === 0 ? [1, 2] : [1]);
    expect(codes(manifest(observe(144, { tracks: tileOnly })))).toEqual(['faces-flicker']);
    expect(
      codes({ ...manifest(observe(144, { tracks: tileOnly })), observation: { revisitFrames: 36 } }),
    ).toEqual([]);
  });

  it('flags many candidates just under the threshold, not the odd one', () => {
    expect(codes(manifest(observe(90, { nearMisses: (f) => (f < 30 ? 1 : 0) })))).toEqual([]);
    const risk = assessRisk(manifest(observe(90, { nearMisses: (f) => (f < 45 ? 2 : 0) })));
    expect(risk.reasons.map((r) => r.code)).toEqual(['near-misses']);
    expect(risk.reasons[0]!.detail).toContain('50% (15 of 30)');
    expect(risk.reasons[0]!.detail).toContain('30 in all');
    expect(risk.measures.nearMissShare).toBe(0.5);
  });

  it('flags a clip with too many frames too dark, or too blurred, to judge', () => {
    expect(codes(manifest(observe(90, { luma: (f) => (f < 6 ? 20 : 90) })))).toEqual([]);
    expect(codes(manifest(observe(90, { luma: (f) => (f < 9 ? 20 : 90) })))).toEqual(['too-dark']);
    expect(codes(manifest(observe(90, { sharpness: (f) => (f < 9 ? 5 : 200) })))).toEqual(['too-blurred']);
    // A dark frame is dark, not also blurred (it has little detail because it is dark).
    expect(codes(manifest(observe(90, { luma: () => 20, sharpness: () => 2 })))).toEqual(['too-dark']);
  });

  it('gives every reason that applies, and is fail-safe when nothing was observed', () => {
    const all = observe(90, {
      tracks: (f) => (f === 45 ? [1, 9] : [1]),
      nearMisses: () => 1,
      luma: (f) => (f < 30 ? 20 : 90),
      sharpness: (f) => (f >= 60 ? 3 : 200),
    });
    expect(codes(manifest(all))).toEqual(['faces-flicker', 'near-misses', 'too-dark', 'too-blurred']);
    const none = assessRisk({ input: { frameRate: FPS, frames: 90 } });
    expect(none).toMatchObject({ reviewRequired: true, reasons: [{ code: 'not-observed' }] });
  });

  it('reads frame rates as ffprobe writes them, in seconds not frames', () => {
    expect(frameRate('30000/1001')).toBeCloseTo(29.97);
    expect(frameRate('25/1')).toBe(25);
    expect(frameRate('bogus')).toBe(30);
    // At 60 fps a face seen over 21 frames was seen for 0.35 s: short.
    const m = {
      input: { frameRate: '60/1', frames: 180 },
      observations: observe(180, { tracks: (f) => (f >= 60 && f <= 81 ? [1, 2] : [1]) }),
    };
    expect(codes(m)).toEqual(['faces-flicker']);
  });
});

describe('frame quality', () => {
  const W = 64;
  const H = 48;
  /** A yuv420p frame whose luma is `y(x, y)` (chroma neutral). */
  const frame = (y: (x: number, y: number) => number) => {
    const f = new Uint8Array((W * H * 3) / 2).fill(128);
    for (let j = 0; j < H; j++) for (let i = 0; i < W; i++) f[j * W + i] = y(i, j);
    return f;
  };

  it('measures mean luma and finds no detail in a flat frame', () => {
    expect(
      frameQuality(
        frame(() => 30),
        W,
        H,
      ),
    ).toEqual({ luma: 30, sharpness: 0 });
  });

  it('finds more detail in a sharp pattern than in the same pattern blurred', () => {
    const sharp = frameQuality(
      frame((x, y) => (((x >> 2) + (y >> 2)) % 2 ? 200 : 40)),
      W,
      H,
    );
    const soft = frameQuality(
      frame((x, y) => 120 + 40 * Math.sin(x / 6) * Math.sin(y / 6)),
      W,
      H,
    );
    expect(sharp.luma).toBeCloseTo(120, 0);
    expect(sharp.sharpness).toBeGreaterThan(1000);
    expect(soft.sharpness).toBeLessThan(RISK_THRESHOLDS.blurSharpness);
  });

  it('averages a wide frame down before measuring (cheap, and steady against noise)', () => {
    const w = 1280;
    const h = 16;
    const f = new Uint8Array((w * h * 3) / 2).fill(128);
    // Pixel-level noise that 2×2 averaging cancels exactly: alternating columns 100/140.
    for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) f[j * w + i] = i % 2 ? 140 : 100;
    expect(frameQuality(f, w, h)).toEqual({ luma: 120, sharpness: 0 });
  });
});
