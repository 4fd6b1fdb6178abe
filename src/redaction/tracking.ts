// Faces across time. Detections (on every Nth frame) are linked into tracks by overlap; a track's box
// on any frame is interpolated between the detections either side of it, held for a few frames before
// its first and after its last detection, and padded. This is what keeps a face covered on the
// frames the detector did not look at, or looked at and missed (up to `maxGapFrames`).
import { iou, lerpBox, pad, type Box, type Detection } from './box.js';

export interface TrackingParams {
  /** Detection runs on every Nth frame. */
  every: number;
  /** Longest run of frames a track survives without a detection (missed detections are bridged). */
  maxGapFrames: number;
  /** Frames a box is kept before the first and after the last detection, beyond the N−1 unseen ones. */
  keepAliveFrames: number;
  /** Padding on each side, as a fraction of the box size. */
  padding: number;
  /** Overlap (IoU) at or above which a detection continues a track. */
  minIou: number;
  /**
   * Before a track's first and after its last detection, carry the box on along the track's motion
   * (its first or last two detections) instead of holding it still: in a pan the held box lags the
   * face, blurring background and leaving an edge of the face.
   */
  extrapolate?: boolean;
  /**
   * Frames a box is kept, carried along its motion, after the last detection of a track that ends
   * at the frame's edge (and before the first of one that begins there): a face leaving the frame is
   * cut by the edge and no longer detected while its remaining part is still in view (measured: a
   * blurred 23-px face at the top edge went 4 frames uncovered after its track's usual hold).
   */
  edgeHoldFrames?: number;
}

export const DEFAULT_TRACKING: TrackingParams = {
  every: 4,
  maxGapFrames: 48,
  keepAliveFrames: 3,
  padding: 0.15,
  minIou: 0.1,
  extrapolate: true,
  edgeHoldFrames: 12,
};

interface Track {
  id: number;
  points: Array<{ f: number; box: Box }>;
  /** The models and passes whose detections make up the track. */
  sources: Set<string>;
}

/** A box to blur and what put it there: the sources of its track, `tracked:` when not detected on that frame. */
export interface SourcedBox {
  box: Box;
  source: string;
}

export class Tracker {
  private readonly tracks: Track[] = [];
  private nextId = 1;

  constructor(
    private readonly p: TrackingParams,
    private readonly width: number,
    private readonly height: number,
  ) {}

  /** Frames after the last detection frame that a later detection can still change. */
  get horizon(): number {
    return Math.max(this.p.maxGapFrames, this.reach, this.p.edgeHoldFrames ?? 0) + this.p.every;
  }

  private get reach(): number {
    return this.p.every - 1 + this.p.keepAliveFrames;
  }

  get trackCount(): number {
    return this.tracks.length;
  }

  /**
   * Adds the detections of frame `f`; frames must come in increasing order. Returns the id of the
   * track each detection joined or started (in the order of `dets`), for the manifest.
   */
  add(f: number, dets: Detection[]): number[] {
    const open = this.tracks.filter((t) => f - t.points.at(-1)!.f <= this.p.maxGapFrames);
    const pairs: Array<{ t: Track; d: number; score: number }> = [];
    for (const t of open) {
      const last = t.points.at(-1)!.box;
      dets.forEach((d, i) => {
        const score = iou(last, d) || closeness(last, d);
        if (score >= this.p.minIou) pairs.push({ t, d: i, score });
      });
    }
    pairs.sort((a, b) => b.score - a.score);
    const usedT = new Set<Track>();
    const usedD = new Set<number>();
    const ids: number[] = [];
    for (const { t, d } of pairs) {
      if (usedT.has(t) || usedD.has(d)) continue;
      usedT.add(t);
      usedD.add(d);
      t.points.push({ f, box: strip(dets[d]!) });
      ids[d] = t.id;
      t.sources.add(dets[d]!.source ?? 'detector');
    }
    dets.forEach((d, i) => {
      if (usedD.has(i)) return;
      ids[i] = this.nextId;
      this.tracks.push({
        id: this.nextId++,
        points: [{ f, box: strip(d) }],
        sources: new Set([d.source ?? 'detector']),
      });
    });
    return ids;
  }

  /** Padded boxes to blur on frame `f`, in whole pixels. */
  boxesAt(f: number): Box[] {
    return this.sourcedBoxesAt(f).map((b) => b.box);
  }

  /** The same boxes with what put each there (for the manifest). */
  sourcedBoxesAt(f: number): SourcedBox[] {
    const out: SourcedBox[] = [];
    for (const t of this.tracks) {
      const box = this.trackBoxAt(t, f);
      if (!box) continue;
      const padded = pad(box, this.p.padding, this.width, this.height);
      if (padded.w <= 0 || padded.h <= 0) continue;
      const sources = [...new Set([...t.sources].flatMap((s) => s.split('+')))].sort().join('+');
      const detected = t.points.some((p) => p.f === f);
      out.push({ box: padded, source: detected ? sources : `tracked:${sources}` });
    }
    return out;
  }

  /** How far a track's box is kept beyond a first or last detection at this box. */
  private reachFrom(b: Box): number {
    const margin = Math.max(2, 0.25 * Math.min(b.w, b.h));
    const atEdge =
      b.x <= margin || b.y <= margin || b.x + b.w >= this.width - margin || b.y + b.h >= this.height - margin;
    return atEdge ? Math.max(this.reach, this.p.edgeHoldFrames ?? 0) : this.reach;
  }

  private trackBoxAt(t: Track, f: number): Box | null {
    const pts = t.points;
    const first = pts[0]!;
    const last = pts.at(-1)!;
    if (f < first.f - this.reachFrom(first.box) || f > last.f + this.reachFrom(last.box)) return null;
    if (f <= first.f) {
      const next = pts[1];
      return this.p.extrapolate && next
        ? lerpBox(first.box, next.box, (f - first.f) / (next.f - first.f))
        : first.box;
    }
    if (f >= last.f) {
      const before = pts.at(-2);
      return this.p.extrapolate && before
        ? lerpBox(before.box, last.box, (f - before.f) / (last.f - before.f))
        : last.box;
    }
    let lo = 0;
    let hi = pts.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (pts[mid]!.f <= f) lo = mid;
      else hi = mid;
    }
    const a = pts[lo]!;
    const b = pts[hi]!;
    return lerpBox(a.box, b.box, (f - a.f) / (b.f - a.f));
  }
}

/** For fast motion with no overlap: near in centre relative to size still counts (0..0.5). */
function closeness(a: Box, b: Box): number {
  const dx = a.x + a.w / 2 - (b.x + b.w / 2);
  const dy = a.y + a.h / 2 - (b.y + b.h / 2);
  const size = Math.max(a.w, a.h, b.w, b.h);
  const ratio = Math.min(a.w, b.w) / Math.max(a.w, b.w);
  const d = Math.hypot(dx, dy) / size;
  return d < 1 && ratio > 0.5 ? 0.5 * (1 - d) * ratio : 0;
}

const strip = (d: Detection): Box => ({ x: d.x, y: d.y, w: d.w, h: d.h });
