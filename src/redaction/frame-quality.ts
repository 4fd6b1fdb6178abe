// Can this frame be judged at all? Two cheap measures on the luma (Y) plane of a yuv420p frame,
// recorded for every detection frame in the manifest and read by the risk assessment (risk.ts): a
// frame that is too dark or too blurred can hide a face the detector could not see, and that is a
// reason for a person to look, not for silence.

export interface FrameQuality {
  /** Mean luma, 0–255 (H.264's limited range puts black at 16 and white at 235). */
  luma: number;
  /**
   * Variance of the Laplacian of the luma, downsampled to about QUALITY_WIDTH pixels across: low
   * means little fine detail (blurred, or flat). Downsampling first makes it cheap and steadies it
   * against sensor noise and against the frame's resolution.
   */
  sharpness: number;
}

/** Width the luma is box-averaged down to before the Laplacian (the detector's tiles see ~this). */
export const QUALITY_WIDTH = 640;

/** The downsampling factor used for a frame `width` pixels wide. */
export const qualityFactor = (width: number) => Math.max(1, Math.round(width / QUALITY_WIDTH));

/** Mean luma and Laplacian variance of the Y plane (the first width×height bytes of yuv420p). */
export function frameQuality(frame: Uint8Array, width: number, height: number): FrameQuality {
  const k = qualityFactor(width);
  const w = Math.floor(width / k);
  const h = Math.floor(height / k);
  // Sums of k×k blocks in integers (at most 255·k², well within 16 bits up to k = 15); the averages
  // are the sums over k², so the Laplacian's variance is scaled back by k⁴ at the end.
  const small = new Uint16Array(w * h);
  let sum = 0;
  for (let y = 0; y < h; y++) {
    const out = y * w;
    for (let dy = 0; dy < k; dy++) {
      const row = (y * k + dy) * width;
      for (let x = 0; x < w; x++) {
        let s = 0;
        const at = row + x * k;
        for (let dx = 0; dx < k; dx++) s += frame[at + dx]!;
        small[out + x]! += s;
      }
    }
  }
  for (let i = 0; i < small.length; i++) sum += small[i]!;
  let n = 0;
  let m = 0;
  let m2 = 0;
  for (let y = 1; y < h - 1; y++) {
    const row = y * w;
    for (let x = 1; x < w - 1; x++) {
      const i = row + x;
      const lap = 4 * small[i]! - small[i - 1]! - small[i + 1]! - small[i - w]! - small[i + w]!;
      m += lap;
      m2 += lap * lap;
    }
    n += w - 2;
  }
  const kk = k * k;
  const mean = n > 0 ? m / n : 0;
  const variance = n > 0 ? (m2 / n - mean * mean) / (kk * kk) : 0;
  return {
    luma: round1(w * h ? sum / (w * h * kk) : 0),
    sharpness: round1(Math.max(0, variance)),
  };
}

const round1 = (v: number) => Math.round(v * 10) / 10;
