// Test footage from real photographs of people that Debian's opencv-doc package ships (see
// scripts/debian-packages.txt). A clip is composed frame by frame here — a scene that zooms and pans
// with people pasted in that move and change size — and encoded by ffmpeg, so the true face box on
// every frame is known from how it was built. Face boxes in the photos were measured once by hand.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import type { Box } from '../../src/redaction/box.js';

const run = promisify(execFile);
const DOC = '/usr/share/doc/opencv-doc';

interface Photo {
  file: string;
  /** The face (brows to chin, ear to ear) in the photo's pixels. */
  face: Box;
}

export const PHOTOS = {
  /** A football match: one player's face, small, among an out-of-focus crowd. */
  match: { file: `${DOC}/examples/data/messi5.jpg`, face: { x: 222, y: 96, w: 36, h: 36 } },
  /** A head-and-shoulders portrait. */
  portrait: { file: `${DOC}/opencv4/html/227943776_1.jpg`, face: { x: 137, y: 118, w: 164, h: 164 } },
  /** Another portrait, a different person. */
  smiling: { file: `${DOC}/opencv4/html/face_swapped.jpg`, face: { x: 105, y: 85, w: 117, h: 117 } },
} satisfies Record<string, Photo>;

export interface Image {
  width: number;
  height: number;
  rgb: Uint8Array;
}

export async function loadImage(file: string): Promise<Image> {
  const { stdout: size } = await run('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'stream=width,height',
    '-of',
    'csv=p=0',
    file,
  ]);
  const [width, height] = size.trim().split(',').map(Number) as [number, number];
  const { stdout } = await run(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    {
      encoding: 'buffer',
      maxBuffer: 64 << 20,
    },
  );
  return { width, height, rgb: new Uint8Array(stdout) };
}

/** Where a source region lands in the frame at time t (0..1). */
interface Placement {
  photo: keyof typeof PHOTOS;
  /** The part of the photo pasted (a person's head and shoulders). */
  crop: Box;
  /** Destination of the crop in the frame at t = 0 and t = 1 (linear in between). */
  from: Box;
  to: Box;
  /** Frames [first, last] on which the person is in the scene (all of them when absent). */
  visible?: [number, number];
}

export interface ClipSpec {
  width: number;
  height: number;
  fps: number;
  frames: number;
  /** The scene behind, a window into this photo that moves and zooms from `from` to `to`. */
  scene: { photo: keyof typeof PHOTOS; from: Box; to: Box };
  people: Placement[];
  /** Adds a sine-tone audio track (the redacted clip must keep it). */
  audio?: boolean;
}

const lerp = (a: Box, b: Box, t: number): Box => ({
  x: a.x + (b.x - a.x) * t,
  y: a.y + (b.y - a.y) * t,
  w: a.w + (b.w - a.w) * t,
  h: a.h + (b.h - a.h) * t,
});

/** Maps a box in source coordinates through `src → dst`. */
const mapBox = (b: Box, src: Box, dst: Box): Box => ({
  x: dst.x + ((b.x - src.x) * dst.w) / src.w,
  y: dst.y + ((b.y - src.y) * dst.h) / src.h,
  w: (b.w * dst.w) / src.w,
  h: (b.h * dst.h) / src.h,
});

function paste(frame: Uint8Array, fw: number, fh: number, img: Image, src: Box, dst: Box) {
  const x0 = Math.max(0, Math.floor(dst.x));
  const y0 = Math.max(0, Math.floor(dst.y));
  const x1 = Math.min(fw, Math.ceil(dst.x + dst.w));
  const y1 = Math.min(fh, Math.ceil(dst.y + dst.h));
  const sx = src.w / dst.w;
  const sy = src.h / dst.h;
  for (let y = y0; y < y1; y++) {
    const fy = src.y + (y + 0.5 - dst.y) * sy - 0.5;
    const iy = Math.min(img.height - 2, Math.max(0, Math.floor(fy)));
    const ty = Math.min(1, Math.max(0, fy - iy));
    for (let x = x0; x < x1; x++) {
      const fx = src.x + (x + 0.5 - dst.x) * sx - 0.5;
      const ix = Math.min(img.width - 2, Math.max(0, Math.floor(fx)));
      const tx = Math.min(1, Math.max(0, fx - ix));
      const o = (y * fw + x) * 3;
      const a = (iy * img.width + ix) * 3;
      const b = a + img.width * 3;
      for (let c = 0; c < 3; c++) {
        const top = img.rgb[a + c]! * (1 - tx) + img.rgb[a + 3 + c]! * tx;
        const bot = img.rgb[b + c]! * (1 - tx) + img.rgb[b + 3 + c]! * tx;
        frame[o + c] = Math.round(top * (1 - ty) + bot * ty);
      }
    }
  }
}

/**
 * Renders the clip to `out` (H.264 in MP4) and returns the true face boxes of every frame.
 * Faces cut by the frame edge are clipped to it; people never overlap one another.
 */
export async function renderClip(spec: ClipSpec, out: string): Promise<Box[][]> {
  const images = new Map<string, Image>();
  for (const name of new Set([spec.scene.photo, ...spec.people.map((p) => p.photo)])) {
    images.set(name, await loadImage(PHOTOS[name].file));
  }
  const { width: W, height: H } = spec;
  const audio = spec.audio
    ? ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${spec.frames / spec.fps}`]
    : [];
  const ff = spawn(
    'ffmpeg',
    [
      '-v',
      'error',
      '-y',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-s',
      `${W}x${H}`,
      '-framerate',
      String(spec.fps),
      '-i',
      'pipe:0',
      ...audio,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-crf',
      '16',
      '-pix_fmt',
      'yuv420p',
      ...(spec.audio ? ['-c:a', 'aac', '-shortest'] : []),
      out,
    ],
    { stdio: ['pipe', 'ignore', 'inherit'] },
  );
  const closed = once(ff, 'close');
  const truth: Box[][] = [];
  for (let i = 0; i < spec.frames; i++) {
    const t = spec.frames === 1 ? 0 : i / (spec.frames - 1);
    const frame = new Uint8Array(W * H * 3);
    const scene = PHOTOS[spec.scene.photo];
    const view = lerp(spec.scene.from, spec.scene.to, t);
    const whole = { x: 0, y: 0, w: W, h: H };
    paste(frame, W, H, images.get(spec.scene.photo)!, view, whole);
    const faces = [mapBox(scene.face, view, whole)];
    for (const p of spec.people) {
      if (p.visible && (i < p.visible[0] || i > p.visible[1])) continue;
      const dst = lerp(p.from, p.to, t);
      paste(frame, W, H, images.get(p.photo)!, p.crop, dst);
      faces.push(mapBox(PHOTOS[p.photo].face, p.crop, dst));
    }
    truth.push(faces.map((f) => clipBox(f, W, H)).filter((f) => f.w > 4 && f.h > 4));
    if (!ff.stdin.write(frame)) await once(ff.stdin, 'drain');
  }
  ff.stdin.end();
  const [code] = (await closed) as [number | null];
  if (code !== 0) throw new Error(`ffmpeg exited ${code} while rendering ${out}`);
  return truth;
}

function clipBox(b: Box, W: number, H: number): Box {
  const x0 = Math.max(0, b.x);
  const y0 = Math.max(0, b.y);
  return { x: x0, y: y0, w: Math.min(W, b.x + b.w) - x0, h: Math.min(H, b.y + b.h) - y0 };
}

/**
 * The standard scene at any size (the layout scales with the width): the match photo zooms in and
 * pans; one portrait walks right and shrinks (moving away), the other comes closer from the left.
 */
export function standardClip(
  width: number,
  height: number,
  frames: number,
  fps = 30,
  audio = false,
): ClipSpec {
  const k = width / 640;
  const s = (b: Box): Box => ({ x: b.x * k, y: b.y * k, w: b.w * k, h: b.h * k });
  return {
    width,
    height,
    fps,
    frames,
    audio,
    scene: { photo: 'match', from: { x: 0, y: 0, w: 548, h: 308 }, to: { x: 120, y: 30, w: 380, h: 214 } },
    people: [
      {
        photo: 'portrait',
        crop: { x: 60, y: 40, w: 320, h: 320 },
        from: s({ x: 380, y: 20, w: 220, h: 220 }),
        to: s({ x: 470, y: 70, w: 120, h: 120 }),
      },
      {
        photo: 'smiling',
        crop: { x: 40, y: 20, w: 250, h: 250 },
        from: s({ x: 10, y: 230, w: 90, h: 90 }),
        to: s({ x: 40, y: 200, w: 150, h: 150 }),
      },
    ],
  };
}
