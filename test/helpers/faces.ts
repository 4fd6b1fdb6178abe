// The redaction evaluation set: crowded clips composed frame by frame from real photographs of people
// (test/redaction-eval/faces.json says which packages ship them and where each face is). Every face is
// cut from its photo with its surroundings, changed by image processing (dimmed, hazed, blurred,
// mirrored, a real hand over the mouth, dark glasses), scaled to 15–80 px high at 1280×720 and
// pasted, with a soft edge, onto a real street photograph; the camera then stays still or pans and
// zooms over the scene, with sensor noise on every frame. The true box of every face on every frame
// is known from how it was built. `coverage()` measures what the issue asks: per face-frame, whether
// the face's detail is gone in the redacted frame.
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Box } from '../../src/redaction/box.js';
import { loadImage, type Image } from './footage.js';
import { detailKept } from './pixels.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface FaceEntry {
  id: string;
  box: [number, number, number, number];
  pose: string;
}
interface PhotoEntry {
  id: string;
  file: string;
  sha256: string;
  faces: FaceEntry[];
}
interface Catalogue {
  photos: PhotoEntry[];
  occluder: { photo: string; box: [number, number, number, number] };
  background: { file: string; sha256: string };
}

export const CATALOGUE = JSON.parse(
  readFileSync(path.join(ROOT, 'test/redaction-eval/faces.json'), 'utf8'),
) as Catalogue;

const resolve = (file: string) => (path.isAbsolute(file) ? file : path.join(ROOT, file));

async function loadChecked(file: string, sha256: string): Promise<Image> {
  const full = resolve(file);
  const sum = createHash('sha256').update(readFileSync(full)).digest('hex');
  if (sum !== sha256)
    throw new Error(`${file}: sha256 ${sum}, expected ${sha256} (run bash scripts/setup.sh)`);
  return loadImage(full);
}

export type Variant = 'plain' | 'dim' | 'haze' | 'blur' | 'mirror' | 'hand' | 'glasses';
export const VARIANTS: Variant[] = ['plain', 'dim', 'haze', 'blur', 'mirror', 'hand', 'glasses'];

export interface PlacedFace {
  /** `poker-2/haze@24`: source face, variant, height in the frame. */
  id: string;
  face: string;
  variant: Variant;
  /** The face's box on the canvas (scene) the camera looks at. */
  box: Box;
}

export interface Scene {
  width: number;
  height: number;
  rgb: Uint8Array;
  faces: PlacedFace[];
}

const clamp8 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same clips. */
export function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bilinear sample of an image at (x, y), channel c. */
function sample(img: Image, x: number, y: number, c: number): number {
  const ix = Math.min(img.width - 2, Math.max(0, Math.floor(x)));
  const iy = Math.min(img.height - 2, Math.max(0, Math.floor(y)));
  const tx = Math.min(1, Math.max(0, x - ix));
  const ty = Math.min(1, Math.max(0, y - iy));
  const a = (iy * img.width + ix) * 3 + c;
  const b = a + img.width * 3;
  return (
    (img.rgb[a]! * (1 - tx) + img.rgb[a + 3]! * tx) * (1 - ty) +
    (img.rgb[b]! * (1 - tx) + img.rgb[b + 3]! * tx) * ty
  );
}

/** A region of an image resampled to w×h (area-averaged when shrinking, so small faces stay natural). */
function resample(img: Image, src: Box, w: number, h: number, mirror = false): Image {
  const out = new Uint8Array(w * h * 3);
  const sx = src.w / w;
  const sy = src.h / h;
  const taps = Math.max(1, Math.min(4, Math.ceil(Math.max(sx, sy))));
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const xx = mirror ? w - 1 - x : x;
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let j = 0; j < taps; j++)
          for (let i = 0; i < taps; i++)
            sum += sample(
              img,
              src.x + (xx + (i + 0.5) / taps) * sx - 0.5,
              src.y + (y + (j + 0.5) / taps) * sy - 0.5,
              c,
            );
        out[(y * w + x) * 3 + c] = clamp8(sum / (taps * taps));
      }
    }
  return { width: w, height: h, rgb: out };
}

function boxBlur(img: Image, r: number): void {
  if (r < 1) return;
  const { width: w, height: h, rgb } = img;
  const tmp = new Float32Array(rgb.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++) {
        let s = 0;
        let n = 0;
        for (let k = -r; k <= r; k++) {
          const xx = x + k;
          if (xx >= 0 && xx < w) {
            s += rgb[(y * w + xx) * 3 + c]!;
            n++;
          }
        }
        tmp[(y * w + x) * 3 + c] = s / n;
      }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++) {
        let s = 0;
        let n = 0;
        for (let k = -r; k <= r; k++) {
          const yy = y + k;
          if (yy >= 0 && yy < h) {
            s += tmp[(yy * w + x) * 3 + c]!;
            n++;
          }
        }
        rgb[(y * w + x) * 3 + c] = clamp8(s / n);
      }
}

/** The head patch pasted for one face: the face box grown to show hair, ears and shoulders. */
const GROW = { left: 0.55, right: 0.55, top: 0.6, bottom: 0.7 };

interface Loaded {
  photos: Map<string, Image>;
  background: Image;
}

let loaded: Promise<Loaded> | null = null;
function loadAll(): Promise<Loaded> {
  loaded ??= (async () => {
    const photos = new Map<string, Image>();
    for (const p of CATALOGUE.photos) photos.set(p.id, await loadChecked(p.file, p.sha256));
    const background = await loadChecked(CATALOGUE.background.file, CATALOGUE.background.sha256);
    return { photos, background };
  })();
  return loaded;
}

export const ALL_FACES = CATALOGUE.photos.flatMap((p) => p.faces.map((f) => ({ photo: p.id, ...f })));

/** One face, changed as `variant` says, scaled so the face is `height` px high: patch and face box in it. */
function facePatch(l: Loaded, faceIndex: number, variant: Variant, height: number, rnd: () => number) {
  const f = ALL_FACES[faceIndex % ALL_FACES.length]!;
  const img = l.photos.get(f.photo)!;
  const [fx, fy, fw, fh] = f.box;
  const src = {
    x: fx - fw * GROW.left,
    y: fy - fh * GROW.top,
    w: fw * (1 + GROW.left + GROW.right),
    h: fh * (1 + GROW.top + GROW.bottom),
  };
  const k = height / fh;
  const pw = Math.max(4, Math.round(src.w * k));
  const ph = Math.max(4, Math.round(src.h * k));
  const patch = resample(img, src, pw, ph, variant === 'mirror');
  const face = { x: fw * GROW.left * k, y: fh * GROW.top * k, w: fw * k, h: fh * k };
  const px = patch.rgb;
  if (variant === 'dim') {
    for (let i = 0; i < px.length; i++) px[i] = clamp8(px[i]! * 0.28 + (rnd() - 0.5) * 6);
  } else if (variant === 'haze') {
    for (let i = 0; i < px.length; i++) px[i] = clamp8(px[i]! * 0.4 + 160 * 0.6);
  } else if (variant === 'blur') {
    boxBlur(patch, Math.max(1, Math.round(height / 14)));
  } else if (variant === 'glasses') {
    // Dark lenses over both eyes: two ellipses at eye level, nearly black with a faint reflection.
    const ey = face.y + face.h * 0.4;
    for (const cx of [face.x + face.w * 0.3, face.x + face.w * 0.7]) {
      const rx = face.w * 0.19;
      const ry = face.h * 0.11;
      for (let y = Math.floor(ey - ry); y <= ey + ry; y++)
        for (let x = Math.floor(cx - rx); x <= cx + rx; x++) {
          if (x < 0 || y < 0 || x >= pw || y >= ph) continue;
          const d = ((x - cx) / rx) ** 2 + ((y - ey) / ry) ** 2;
          if (d > 1) continue;
          const o = (y * pw + x) * 3;
          const shine = y < ey - ry * 0.3 ? 18 : 0;
          for (let c = 0; c < 3; c++) px[o + c] = 16 + shine + c * 3;
        }
    }
  } else if (variant === 'hand') {
    // The real hand with cards over the mouth and a cheek.
    const occ = CATALOGUE.occluder;
    const [ox, oy, ow, oh] = occ.box;
    const hw = Math.round(face.w * 0.75);
    const hh = Math.round((hw * oh) / ow);
    const hand = resample(l.photos.get(occ.photo)!, { x: ox, y: oy, w: ow, h: oh }, hw, hh);
    const x0 = Math.round(face.x + face.w * 0.05);
    const y0 = Math.round(face.y + face.h * 0.58);
    for (let y = 0; y < hh; y++)
      for (let x = 0; x < hw; x++) {
        const X = x0 + x;
        const Y = y0 + y;
        if (X < 0 || Y < 0 || X >= pw || Y >= ph) continue;
        for (let c = 0; c < 3; c++) px[(Y * pw + X) * 3 + c] = hand.rgb[(y * hw + x) * 3 + c]!;
      }
  }
  return { patch, face, id: f.id };
}

/** Pastes a patch with a soft elliptical edge (no hard rectangle around a head). */
function pasteSoft(dst: Image, patch: Image, x0: number, y0: number) {
  const { width: pw, height: ph } = patch;
  for (let y = 0; y < ph; y++)
    for (let x = 0; x < pw; x++) {
      const X = x0 + x;
      const Y = y0 + y;
      if (X < 0 || Y < 0 || X >= dst.width || Y >= dst.height) continue;
      const d = Math.hypot((x + 0.5) / pw - 0.5, (y + 0.5) / ph - 0.5) * 2; // 0 centre, 1 edge midpoints
      const a = d < 0.8 ? 1 : d > 1.05 ? 0 : (1.05 - d) / 0.25;
      if (a === 0) continue;
      const o = (Y * dst.width + X) * 3;
      const p = (y * pw + x) * 3;
      for (let c = 0; c < 3; c++) dst.rgb[o + c] = clamp8(dst.rgb[o + c]! * (1 - a) + patch.rgb[p + c]! * a);
    }
}

export interface SceneSpec {
  width: number;
  height: number;
  /** Face heights (px on the canvas), one per face; faces and variants are chosen in rotation. */
  heights: number[];
  seed: number;
}

/**
 * A crowd on a canvas: faces laid out in rows (shelf packing, small ones first), never overlapping,
 * each a different face/variant pair in rotation. Faces that do not fit are left out.
 */
export async function buildScene(spec: SceneSpec): Promise<Scene> {
  const l = await loadAll();
  const rnd = random(spec.seed);
  const bgSrc = { x: 0, y: 0, w: l.background.width, h: l.background.height };
  const canvas = resample(l.background, bgSrc, spec.width, spec.height);
  const faces: PlacedFace[] = [];
  const margin = 6;
  let x = margin;
  let y = margin;
  let rowH = 0;
  const heights = [...spec.heights].sort((a, b) => a - b);
  heights.forEach((h, i) => {
    const variant = VARIANTS[i % VARIANTS.length]!;
    // 9 faces and 7 variants: the index modulo each walks through all 63 pairs (they are coprime).
    const faceIndex = (i + spec.seed) % ALL_FACES.length;
    const { patch, face, id } = facePatch(l, faceIndex, variant, h, rnd);
    if (x + patch.width + margin > spec.width) {
      x = margin;
      y += rowH + margin;
      rowH = 0;
    }
    if (y + patch.height + margin > spec.height) return;
    const jitter = Math.round(rnd() * margin);
    pasteSoft(canvas, patch, x, y + jitter);
    faces.push({
      id: `${id}/${variant}@${h}`,
      face: id,
      variant,
      box: { x: x + face.x, y: y + jitter + face.y, w: face.w, h: face.h },
    });
    x += patch.width + margin;
    rowH = Math.max(rowH, patch.height + jitter);
  });
  return { width: spec.width, height: spec.height, rgb: canvas.rgb, faces };
}

export interface CameraSpec {
  width: number;
  height: number;
  fps: number;
  frames: number;
  /** The part of the scene in view at the first and the last frame (linear in between). */
  from: Box;
  to: Box;
  /** Sensor noise amplitude (± luma levels) added to every frame. */
  noise: number;
  seed: number;
}

export interface FaceTruth {
  id: string;
  face: string;
  variant: Variant;
  /** The face's box in frame pixels; null on frames where it is out of view. */
  boxes: Array<Box | null>;
}

/** Renders the camera's view of a scene to `out` (H.264, MP4) and returns each face's box per frame. */
export async function renderCrowdClip(scene: Scene, cam: CameraSpec, out: string): Promise<FaceTruth[]> {
  const W = cam.width;
  const H = cam.height;
  const ff = spawn(
    'ffmpeg',
    [
      ...['-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${W}x${H}`],
      ...['-framerate', String(cam.fps), '-i', 'pipe:0'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '16', '-pix_fmt', 'yuv420p', out],
    ],
    { stdio: ['pipe', 'ignore', 'inherit'] },
  );
  const closed = once(ff, 'close');
  const truth: FaceTruth[] = scene.faces.map((f) => ({
    id: f.id,
    face: f.face,
    variant: f.variant,
    boxes: [],
  }));
  const rnd = random(cam.seed);
  const noise = new Int8Array(1 << 16).map(() => Math.round((rnd() * 2 - 1) * cam.noise));
  const img: Image = { width: scene.width, height: scene.height, rgb: scene.rgb };
  for (let i = 0; i < cam.frames; i++) {
    const t = cam.frames === 1 ? 0 : i / (cam.frames - 1);
    const v = {
      x: cam.from.x + (cam.to.x - cam.from.x) * t,
      y: cam.from.y + (cam.to.y - cam.from.y) * t,
      w: cam.from.w + (cam.to.w - cam.from.w) * t,
      h: cam.from.h + (cam.to.h - cam.from.h) * t,
    };
    const frame = new Uint8Array(W * H * 3);
    const sx = v.w / W;
    const sy = v.h / H;
    const n0 = Math.floor(rnd() * 65536);
    const src = img.rgb;
    const sw = img.width;
    // Bilinear, written out: this loop runs for every pixel of every frame.
    for (let y = 0, o = 0; y < H; y++) {
      const fy = v.y + (y + 0.5) * sy - 0.5;
      const iy = Math.min(img.height - 2, Math.max(0, Math.floor(fy)));
      const ty = Math.min(1, Math.max(0, fy - iy));
      for (let x = 0; x < W; x++, o += 3) {
        const fx = v.x + (x + 0.5) * sx - 0.5;
        const ix = Math.min(sw - 2, Math.max(0, Math.floor(fx)));
        const tx = Math.min(1, Math.max(0, fx - ix));
        const a = (iy * sw + ix) * 3;
        const b = a + sw * 3;
        const nz = noise[(n0 + o) & 0xffff]!;
        for (let c = 0; c < 3; c++) {
          const top = src[a + c]! + (src[a + 3 + c]! - src[a + c]!) * tx;
          const bot = src[b + c]! + (src[b + 3 + c]! - src[b + c]!) * tx;
          const val = top + (bot - top) * ty + nz;
          frame[o + c] = val < 0 ? 0 : val > 255 ? 255 : val + 0.5;
        }
      }
    }
    scene.faces.forEach((f, k) => {
      const b = { x: (f.box.x - v.x) / sx, y: (f.box.y - v.y) / sy, w: f.box.w / sx, h: f.box.h / sy };
      const x0 = Math.max(0, b.x);
      const y0 = Math.max(0, b.y);
      const x1 = Math.min(W, b.x + b.w);
      const y1 = Math.min(H, b.y + b.h);
      // A face counts while at least 60 % of it is in view.
      const visible = x1 > x0 && y1 > y0 && ((x1 - x0) * (y1 - y0)) / (b.w * b.h) >= 0.6;
      truth[k]!.boxes.push(visible ? { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } : null);
    });
    if (!ff.stdin.write(frame)) await once(ff.stdin, 'drain');
  }
  ff.stdin.end();
  const [code] = (await closed) as [number | null];
  if (code !== 0) throw new Error(`ffmpeg exited ${code} while rendering ${out}`);
  return truth;
}

/** Face heights spread over 15–80 px: `n` faces, a third of them under 27 px. */
export function crowdHeights(n: number, seed: number): number[] {
  const rnd = random(seed);
  const bands: Array<[number, number, number]> = [
    [15, 19, 0.12],
    [20, 26, 0.24],
    [27, 35, 0.24],
    [36, 50, 0.22],
    [51, 80, 0.18],
  ];
  const out: number[] = [];
  for (const [lo, hi, share] of bands) {
    const k = Math.round(n * share);
    for (let i = 0; i < k; i++) out.push(Math.round(lo + rnd() * (hi - lo)));
  }
  return out;
}

export const SIZE_BANDS: Array<[number, number]> = [
  [15, 19],
  [20, 26],
  [27, 35],
  [36, 50],
  [51, 80],
  [81, 10_000],
];

/** When a face-frame counts as covered: less than this share of its own fine detail is left (pixels.ts detailKept). */
export const DETAIL_KEPT_MAX = 0.3;

export interface Coverage {
  faceFrames: number;
  covered: number;
  /** covered / faceFrames. */
  ratio: number;
  /** The frame with the lowest share of its faces covered. */
  worstFrame: { frame: number; covered: number; faces: number };
  /** Longest run of consecutive frames any one face stayed uncovered, and which face. */
  longestUncovered: { frames: number; face: string | null };
  /** Faces never covered on any frame they were in view. */
  neverCovered: string[];
  byBand: Record<string, { faceFrames: number; covered: number; ratio: number }>;
  byVariant: Record<string, { faceFrames: number; covered: number; ratio: number }>;
  /** Share of the frame changed outside the (padded) true faces, mean over frames: false-positive area. */
  falsePositiveArea: number;
  /** Per face: uncovered frames (for diagnosis). */
  misses: Array<{ face: string; frames: number }>;
}

const bandOf = (h: number) => {
  const b = SIZE_BANDS.find(([lo, hi]) => h >= lo - 0.5 && h < hi + 0.5) ?? SIZE_BANDS[0]!;
  return b[1] >= 10_000 ? `${b[0]}+` : `${b[0]}-${b[1]}`;
};

/**
 * Coverage of one redacted clip. `original` and `redacted` are decoded RGB frames of the input and the
 * output. A face-frame is covered when less than DETAIL_KEPT_MAX of the face's own fine detail (over
 * the true box) is left in the redacted frame: the face is pixelated or blurred away, whatever drew the box. False-positive area: the share of 8×8 blocks that changed
 * (mean luma difference > 6) outside every true face grown by half its size on each side.
 */
export function coverage(
  truth: FaceTruth[],
  original: Uint8Array[],
  redacted: Uint8Array[],
  width: number,
  height: number,
): Coverage {
  let faceFrames = 0;
  let covered = 0;
  let worst = { frame: 0, covered: 1, faces: 1 };
  const runs = new Map<
    string,
    { run: number; longest: number; hits: number; seen: number; misses: number }
  >();
  const byBand: Coverage['byBand'] = {};
  const byVariant: Coverage['byVariant'] = {};
  const tally = (rec: Coverage['byBand'], key: string, hit: boolean) => {
    const r = (rec[key] ??= { faceFrames: 0, covered: 0, ratio: 0 });
    r.faceFrames++;
    if (hit) r.covered++;
  };
  let fpSum = 0;
  for (let f = 0; f < original.length; f++) {
    let fc = 0;
    let fn = 0;
    const grown: Box[] = [];
    for (const t of truth) {
      const box = t.boxes[f];
      if (!box) continue;
      grown.push({ x: box.x - box.w / 2, y: box.y - box.h / 2, w: box.w * 2, h: box.h * 2 });
      const hit = detailKept(original[f]!, redacted[f]!, width, height, box) < DETAIL_KEPT_MAX;
      const r = runs.get(t.id) ?? { run: 0, longest: 0, hits: 0, seen: 0, misses: 0 };
      runs.set(t.id, r);
      r.seen++;
      if (hit) {
        r.hits++;
        r.run = 0;
      } else {
        r.misses++;
        r.run++;
        r.longest = Math.max(r.longest, r.run);
      }
      fn++;
      if (hit) fc++;
      tally(byBand, bandOf(box.h), hit);
      tally(byVariant, t.variant, hit);
    }
    faceFrames += fn;
    covered += fc;
    if (fn > 0 && fc / fn < worst.covered / worst.faces) worst = { frame: f, covered: fc, faces: fn };
    fpSum += changedOutside(original[f]!, redacted[f]!, width, height, grown);
  }
  for (const rec of [byBand, byVariant])
    for (const r of Object.values(rec)) r.ratio = r.faceFrames ? r.covered / r.faceFrames : 1;
  let longest = { frames: 0, face: null as string | null };
  for (const [id, r] of runs) if (r.longest > longest.frames) longest = { frames: r.longest, face: id };
  return {
    faceFrames,
    covered,
    ratio: faceFrames ? covered / faceFrames : 1,
    worstFrame: worst,
    longestUncovered: longest,
    neverCovered: [...runs].filter(([, r]) => r.hits === 0).map(([id]) => id),
    byBand,
    byVariant,
    falsePositiveArea: original.length ? fpSum / original.length : 0,
    misses: [...runs]
      .filter(([, r]) => r.misses > 0)
      .map(([face, r]) => ({ face, frames: r.misses }))
      .sort((a, b) => b.frames - a.frames),
  };
}

function changedOutside(a: Uint8Array, b: Uint8Array, width: number, height: number, faces: Box[]): number {
  const B = 8;
  let changed = 0;
  let blocks = 0;
  for (let by = 0; by + B <= height; by += B)
    for (let bx = 0; bx + B <= width; bx += B) {
      blocks++;
      if (faces.some((f) => bx + B > f.x && bx < f.x + f.w && by + B > f.y && by < f.y + f.h)) continue;
      let sum = 0;
      for (let y = by; y < by + B; y++)
        for (let x = bx; x < bx + B; x++) {
          const o = (y * width + x) * 3;
          sum += Math.abs(
            0.299 * (a[o]! - b[o]!) + 0.587 * (a[o + 1]! - b[o + 1]!) + 0.114 * (a[o + 2]! - b[o + 2]!),
          );
        }
      if (sum / (B * B) > 6) changed++;
    }
  return blocks ? changed / blocks : 0;
}

/** The two clips of the evaluation set: a still camera and one that pans and zooms. */
export function evalClips(frames: { still: number; moving: number }) {
  return {
    still: {
      scene: { width: 1280, height: 720, heights: crowdHeights(56, 11), seed: 1 },
      camera: {
        width: 1280,
        height: 720,
        fps: 30,
        frames: frames.still,
        from: { x: 0, y: 0, w: 1280, h: 720 },
        to: { x: 0, y: 0, w: 1280, h: 720 },
        noise: 3,
        seed: 2,
      },
    },
    moving: {
      // A larger scene the camera pans across and zooms into (faces grow by a quarter).
      scene: {
        width: 1600,
        height: 900,
        heights: crowdHeights(64, 21).map((h) => Math.round(h * 1.1)),
        seed: 3,
      },
      camera: {
        width: 1280,
        height: 720,
        fps: 30,
        frames: frames.moving,
        from: { x: 0, y: 0, w: 1600, h: 900 },
        to: { x: 240, y: 150, w: 1280, h: 720 },
        noise: 3,
        seed: 4,
      },
    },
  } satisfies Record<string, { scene: SceneSpec; camera: CameraSpec }>;
}

/** The scene as a PNG-able RGB buffer with its true boxes, for looking at (scripts use it). */
export function drawBoxes(scene: Scene): Uint8Array {
  const out = scene.rgb.slice();
  for (const f of scene.faces) {
    const { x, y, w, h } = f.box;
    for (let i = Math.floor(x); i <= x + w; i++)
      for (const j of [Math.floor(y), Math.floor(y + h)]) {
        const o = (j * scene.width + i) * 3;
        out[o] = 0;
        out[o + 1] = 255;
        out[o + 2] = 0;
      }
    for (let j = Math.floor(y); j <= y + h; j++)
      for (const i of [Math.floor(x), Math.floor(x + w)]) {
        const o = (j * scene.width + i) * 3;
        out[o] = 0;
        out[o + 1] = 255;
        out[o + 2] = 0;
      }
  }
  return out;
}
