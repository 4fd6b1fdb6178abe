// Crops a region of an RGB24 frame and resamples it (bilinear) into the model's NHWC float input,
// normalised to [-1, 1] as BlazeFace expects. The region may extend past the frame: the outside is
// black, which is how a non-square frame is letterboxed into the square input.
export interface Region {
  x: number;
  y: number;
  /** Side of the square region in frame pixels. */
  size: number;
}

export function toInput(
  rgb: Uint8Array,
  width: number,
  height: number,
  region: Region,
  side: number,
  out: Float32Array,
): void {
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
        const p00 = px(rgb, width, height, x0, y0, c);
        const p10 = px(rgb, width, height, x0 + 1, y0, c);
        const p01 = px(rgb, width, height, x0, y0 + 1, c);
        const p11 = px(rgb, width, height, x0 + 1, y0 + 1, c);
        const v = (p00 * (1 - tx) + p10 * tx) * (1 - ty) + (p01 * (1 - tx) + p11 * tx) * ty;
        out[o++] = v / 127.5 - 1;
      }
    }
  }
}

function px(rgb: Uint8Array, width: number, height: number, x: number, y: number, c: number) {
  if (x < 0 || y < 0 || x >= width || y >= height) return 0;
  return rgb[(y * width + x) * 3 + c]!;
}
