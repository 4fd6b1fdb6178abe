// Irreversible redaction: every block inside the box is replaced by its mean colour. With blocks this
// large (a face becomes at most `blocksAcross` blocks wide), identifying detail is gone, not hidden.
import type { Box } from './box.js';

export interface PixelateParams {
  /** At most this many blocks across the larger side of a box. */
  blocksAcross: number;
  /** Blocks are never smaller than this, in pixels. */
  minBlock: number;
}

export const DEFAULT_PIXELATE: PixelateParams = { blocksAcross: 6, minBlock: 8 };

export function pixelate(rgb: Uint8Array, width: number, box: Box, p: PixelateParams): void {
  const block = Math.max(p.minBlock, Math.ceil(Math.max(box.w, box.h) / p.blocksAcross));
  const x1 = box.x + box.w;
  const y1 = box.y + box.h;
  for (let by = box.y; by < y1; by += block) {
    const bh = Math.min(block, y1 - by);
    for (let bx = box.x; bx < x1; bx += block) {
      const bw = Math.min(block, x1 - bx);
      let r = 0;
      let g = 0;
      let b = 0;
      for (let y = by; y < by + bh; y++) {
        let o = (y * width + bx) * 3;
        for (let x = 0; x < bw; x++, o += 3) {
          r += rgb[o]!;
          g += rgb[o + 1]!;
          b += rgb[o + 2]!;
        }
      }
      const n = bw * bh;
      r = Math.round(r / n);
      g = Math.round(g / n);
      b = Math.round(b / n);
      for (let y = by; y < by + bh; y++) {
        let o = (y * width + bx) * 3;
        for (let x = 0; x < bw; x++, o += 3) {
          rgb[o] = r;
          rgb[o + 1] = g;
          rgb[o + 2] = b;
        }
      }
    }
  }
}
