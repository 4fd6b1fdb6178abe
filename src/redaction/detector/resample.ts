// Crops a region of a frame and resamples it (bilinear) into the model's NHWC RGB input as bytes;
// the model process normalises them to [-1, 1] as BlazeFace expects (bytes cross the IPC pipe at a
// quarter of the size of floats). The region may extend past the frame: the outside is black, which
// is how a non-square frame is letterboxed into the square input. Frames are RGB24 or yuv420p; YUV is
// turned into RGB here (BT.601, limited range: what ffmpeg assumes for untagged H.264) for only the
// 256×256 samples the model sees, instead of ffmpeg converting every whole frame.
import type { PixelFormat } from '../video/ffmpeg.js';

export interface Region {
  x: number;
  y: number;
  /** Side of the square region in frame pixels. */
  size: number;
}

/** A rectangular region of the frame resampled to `outW`×`outH` (each axis scaled on its own). */
export interface RectRegion {
  x: number;
  y: number;
  w: number;
  h: number;
  outW: number;
  outH: number;
}

export function toInput(
  frame: Uint8Array,
  width: number,
  height: number,
  region: Region,
  side: number,
  out: Uint8Array,
  format: PixelFormat = 'rgb24',
): void {
  if (format === 'yuv420p') {
    yuvToInput(
      frame,
      width,
      height,
      { ...region, w: region.size, h: region.size, outW: side, outH: side },
      out,
    );
    return;
  }
  const scale = region.size / side;
  let o = 0;
  for (let oy = 0; oy < side; oy++) {
    const fy = region.y + (oy + 0.5) * scale - 0.5;
    const y0 = Math.floor(fy);
    const ty = fy - y0;
    for (let ox = 0; ox < side; ox++) {
      const fx = region.x + (ox + 0.5) * scale - 0.5;
      const x0 = Math.floor(fx);
      const tx = fx - x0;
      for (let c = 0; c < 3; c++) {
        const p00 = px(frame, width, height, x0, y0, c);
        const p10 = px(frame, width, height, x0 + 1, y0, c);
        const p01 = px(frame, width, height, x0, y0 + 1, c);
        const p11 = px(frame, width, height, x0 + 1, y0 + 1, c);
        const v = (p00 * (1 - tx) + p10 * tx) * (1 - ty) + (p01 * (1 - tx) + p11 * tx) * ty;
        out[o++] = v + 0.5; // rounds: a Uint8Array store truncates (v is within 0..255)
      }
    }
  }
}

function px(rgb: Uint8Array, width: number, height: number, x: number, y: number, c: number) {
  if (x < 0 || y < 0 || x >= width || y >= height) return 0;
  return rgb[(y * width + x) * 3 + c]!;
}

/** Bilinear luma, nearest chroma (chroma is half resolution and blurry anyway), then RGB. */
function yuvToInput(
  yuv: Uint8Array,
  width: number,
  height: number,
  region: RectRegion,
  out: Uint8Array,
): void {
  const cw = Math.ceil(width / 2);
  const uBase = width * height;
  const vBase = uBase + cw * Math.ceil(height / 2);
  const scaleX = region.w / region.outW;
  const scaleY = region.h / region.outH;
  const luma = (x: number, y: number) =>
    x < 0 || y < 0 || x >= width || y >= height ? -1 : yuv[y * width + x]!;
  let o = 0;
  for (let oy = 0; oy < region.outH; oy++) {
    const fy = region.y + (oy + 0.5) * scaleY - 0.5;
    const y0 = Math.floor(fy);
    const ty = fy - y0;
    const cy = Math.round(fy) >> 1;
    for (let ox = 0; ox < region.outW; ox++) {
      const fx = region.x + (ox + 0.5) * scaleX - 0.5;
      const x0 = Math.floor(fx);
      const tx = fx - x0;
      const cx = Math.round(fx) >> 1;
      const inside = fx > -0.5 && fy > -0.5 && fx < width - 0.5 && fy < height - 0.5;
      if (!inside) {
        out[o++] = 0;
        out[o++] = 0;
        out[o++] = 0;
        continue;
      }
      // Outside-frame neighbours at an edge take the nearest inside sample (not black).
      const a = luma(x0, y0);
      const b = luma(x0 + 1, y0);
      const c = luma(x0, y0 + 1);
      const d = luma(x0 + 1, y0 + 1);
      const p00 = a >= 0 ? a : b >= 0 ? b : c >= 0 ? c : d;
      const p10 = b >= 0 ? b : p00;
      const p01 = c >= 0 ? c : p00;
      const p11 = d >= 0 ? d : p10;
      const yv = (p00 * (1 - tx) + p10 * tx) * (1 - ty) + (p01 * (1 - tx) + p11 * tx) * ty;
      const ci = Math.min(cy, Math.ceil(height / 2) - 1) * cw + Math.min(cx, cw - 1);
      const u = yuv[uBase + ci]! - 128;
      const v = yuv[vBase + ci]! - 128;
      const l = 1.164 * (yv - 16);
      out[o++] = clamp(l + 1.596 * v);
      out[o++] = clamp(l - 0.392 * u - 0.813 * v);
      out[o++] = clamp(l + 2.017 * u);
    }
  }
}

const clamp = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : v + 0.5);

/**
 * A rectangle of a yuv420p or RGB24 frame resampled (bilinear) into `outW`×`outH` RGB bytes, row
 * major (HWC); outside the frame is black. For models that take inputs of any size (CenterFace).
 */
export function toRectInput(
  frame: Uint8Array,
  width: number,
  height: number,
  region: RectRegion,
  out: Uint8Array,
  format: PixelFormat = 'rgb24',
): void {
  if (format === 'yuv420p') {
    yuvToInput(frame, width, height, region, out);
    return;
  }
  const sx = region.w / region.outW;
  const sy = region.h / region.outH;
  let o = 0;
  for (let oy = 0; oy < region.outH; oy++) {
    const fy = region.y + (oy + 0.5) * sy - 0.5;
    const y0 = Math.floor(fy);
    const ty = fy - y0;
    for (let ox = 0; ox < region.outW; ox++) {
      const fx = region.x + (ox + 0.5) * sx - 0.5;
      const x0 = Math.floor(fx);
      const tx = fx - x0;
      for (let c = 0; c < 3; c++) {
        const p00 = px(frame, width, height, x0, y0, c);
        const p10 = px(frame, width, height, x0 + 1, y0, c);
        const p01 = px(frame, width, height, x0, y0 + 1, c);
        const p11 = px(frame, width, height, x0 + 1, y0 + 1, c);
        out[o++] = (p00 * (1 - tx) + p10 * tx) * (1 - ty) + (p01 * (1 - tx) + p11 * tx) * ty + 0.5;
      }
    }
  }
}
