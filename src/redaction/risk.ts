// Fail-safe, not fail-silent: a pure assessment of a redaction's manifest that says when a person
// must review the redacted clip before it is approved, and why. The detector misses faces it cannot
// see; these are the signs, in what it recorded of every detection frame, that it may have:
//   - faces that appear and vanish (a face the tracker loses is uncovered until it is found again),
//   - many candidates scoring just under the threshold (a face the detector half-sees stays missed),
//   - frames too dark or too blurred for any detector to judge.
// The thresholds are named here and explained in docs/redaction.md; the assessment records them.
import type { FrameObservation } from './manifest.js';

export const RISK_CODES = [
  'faces-flicker',
  'near-misses',
  'too-dark',
  'too-blurred',
  'not-observed',
] as const;
export type RiskCode = (typeof RISK_CODES)[number];

export interface RiskReason {
  code: RiskCode;
  /** What was seen, for the reviewer: how many, how much, and which frames to look at. */
  detail: string;
}

export interface RiskMeasures {
  /** Detection frames observed. */
  observedFrames: number;
  /** Tracks (faces across time) and those that flickered. */
  tracks: number;
  flickeringTracks: number;
  /** Share (0–1) of detection frames with at least one near miss, and near misses in all. */
  nearMissShare: number;
  nearMisses: number;
  /** Share of detection frames too dark to judge, and of the others too blurred to. */
  darkShare: number;
  blurredShare: number;
}

export interface RiskAssessment {
  reviewRequired: boolean;
  reasons: RiskReason[];
  measures: RiskMeasures;
  thresholds: RiskThresholds;
}

export interface RiskThresholds {
  /** A near miss scores at most this far below the detector's threshold. */
  nearMissMargin: number;
  /** Flag when at least this share of detection frames has a near miss. */
  nearMissShare: number;
  /** A frame whose mean luma (0–255, black is 16) is below this is too dark to judge. */
  darkLuma: number;
  /** Flag when at least this share of detection frames is too dark. */
  darkShare: number;
  /** A frame (not too dark) whose Laplacian variance is below this is too blurred to judge. */
  blurSharpness: number;
  /** Flag when at least this share of detection frames is too blurred. */
  blurredShare: number;
  /** A track seen over less than this (first to last detection) appeared and vanished… */
  shortTrackSeconds: number;
  /** …and a track not seen for longer than this between two detections broke off and came back. */
  trackBreakSeconds: number;
  /** A track with at least this many breaks flickers. */
  trackBreaks: number;
  /** Flag when at least this many tracks flicker. */
  flickeringTracks: number;
  /**
   * A track whose best detection scored under this is a weak candidate, blurred to be safe (the
   * second model's threshold is low on purpose): its coming and going is not a face being lost.
   */
  flickerMinScore: number;
}

export const RISK_THRESHOLDS: Readonly<RiskThresholds> = Object.freeze({
  nearMissMargin: 0.2,
  nearMissShare: 0.5,
  darkLuma: 40,
  darkShare: 0.1,
  blurSharpness: 10,
  blurredShare: 0.1,
  shortTrackSeconds: 0.4,
  trackBreakSeconds: 0.3,
  trackBreaks: 2,
  flickeringTracks: 1,
  flickerMinScore: 0.5,
});

/** What the assessment reads of a manifest (older manifests have no observations). */
export interface RiskInput {
  input: { frameRate: string; frames: number };
  observations?: FrameObservation[];
  /**
   * `revisitFrames`: frames between two full-resolution looks at the same part of the frame (the
   * tiles' rotation); a face only those looks can see is expected to go unseen that long.
   */
  observation?: { revisitFrames?: number };
}

/** Frames listed in a reason's detail, at most. */
const LIST = 5;

export function assessRisk(m: RiskInput, t: RiskThresholds = RISK_THRESHOLDS): RiskAssessment {
  const obs = m.observations ?? [];
  const fps = frameRate(m.input.frameRate);
  const reasons: RiskReason[] = [];
  const measures: RiskMeasures = {
    observedFrames: obs.length,
    tracks: 0,
    flickeringTracks: 0,
    nearMissShare: 0,
    nearMisses: 0,
    darkShare: 0,
    blurredShare: 0,
  };
  if (obs.length === 0) {
    reasons.push({
      code: 'not-observed',
      detail: 'The manifest records no detection frames: nothing shows what the detector saw',
    });
    return { reviewRequired: true, reasons, measures, thresholds: { ...t } };
  }

  // Faces that appear and vanish.
  const flicker = flickeringTracks(obs, fps, t, m.observation?.revisitFrames ?? 0);
  measures.tracks = flicker.tracks;
  measures.flickeringTracks = flicker.flickering.length;
  if (flicker.flickering.length >= t.flickeringTracks) {
    const listed = flicker.flickering
      .slice(0, LIST)
      .map((k) => `frames ${k.first}–${k.last} (${k.why})`)
      .join('; ');
    const more = flicker.flickering.length > LIST ? `; and ${flicker.flickering.length - LIST} more` : '';
    reasons.push({
      code: 'faces-flicker',
      detail: `${plural(flicker.flickering.length, 'face')} appeared and vanished: ${listed}${more}`,
    });
  }

  // Candidates just under the threshold.
  const withMiss = obs.filter((o) => o.nearMisses > 0);
  measures.nearMisses = obs.reduce((s, o) => s + o.nearMisses, 0);
  measures.nearMissShare = share(withMiss.length, obs.length);
  if (withMiss.length > 0 && withMiss.length / obs.length >= t.nearMissShare) {
    reasons.push({
      code: 'near-misses',
      detail: `${percent(withMiss.length, obs.length)} of detection frames had a candidate scoring just under the threshold (${measures.nearMisses} in all), e.g. frames ${frames(withMiss)}`,
    });
  }

  // Frames that cannot be judged.
  const dark = obs.filter((o) => o.luma < t.darkLuma);
  const blurred = obs.filter((o) => o.luma >= t.darkLuma && o.sharpness < t.blurSharpness);
  measures.darkShare = share(dark.length, obs.length);
  measures.blurredShare = share(blurred.length, obs.length);
  if (dark.length > 0 && dark.length / obs.length >= t.darkShare) {
    reasons.push({
      code: 'too-dark',
      detail: `${percent(dark.length, obs.length)} of detection frames too dark to judge (mean luma under ${t.darkLuma}), e.g. frames ${frames(dark)}`,
    });
  }
  if (blurred.length > 0 && blurred.length / obs.length >= t.blurredShare) {
    reasons.push({
      code: 'too-blurred',
      detail: `${percent(blurred.length, obs.length)} of detection frames too blurred to judge (sharpness under ${t.blurSharpness}), e.g. frames ${frames(blurred)}`,
    });
  }
  return { reviewRequired: reasons.length > 0, reasons, measures, thresholds: { ...t } };
}

interface Flicker {
  first: number;
  last: number;
  why: string;
}

/**
 * Tracks that flicker: seen for less than `shortTrackSeconds` (unless cut by the clip's start or end,
 * where a face may simply be entering or leaving), or broken off `trackBreaks` times or more — a
 * break being longer than `trackBreakSeconds` and than the tiles' revisit. Only tracks that scored at
 * least `flickerMinScore` once count.
 */
export function flickeringTracks(
  obs: FrameObservation[],
  fps: number,
  t: RiskThresholds = RISK_THRESHOLDS,
  revisitFrames = 0,
): { tracks: number; flickering: Flicker[] } {
  const seen = new Map<number, number[]>();
  const best = new Map<number, number>();
  for (const o of obs) {
    for (const face of o.faces) {
      const id = face[5];
      const list = seen.get(id) ?? [];
      list.push(o.f);
      seen.set(id, list);
      best.set(id, Math.max(best.get(id) ?? 0, face[4]));
    }
  }
  const firstObserved = obs[0]!.f;
  const lastObserved = obs.at(-1)!.f;
  const shortFrames = t.shortTrackSeconds * fps;
  const breakFrames = Math.max(t.trackBreakSeconds * fps, revisitFrames);
  const flickering: Flicker[] = [];
  for (const [id, fs] of seen) {
    if (best.get(id)! < t.flickerMinScore) continue;
    fs.sort((a, b) => a - b);
    const first = fs[0]!;
    const last = fs.at(-1)!;
    let breaks = 0;
    for (let i = 1; i < fs.length; i++) if (fs[i]! - fs[i - 1]! > breakFrames) breaks++;
    const cut = first === firstObserved || last === lastObserved;
    if (!cut && last - first < shortFrames) {
      flickering.push({ first, last, why: `seen ${plural(fs.length, 'time')}` });
    } else if (breaks >= t.trackBreaks) {
      flickering.push({ first, last, why: `lost and found again ${plural(breaks, 'time')}` });
    }
  }
  flickering.sort((a, b) => a.first - b.first);
  return { tracks: seen.size, flickering };
}

/** "30/1", "30000/1001" → frames per second (30 when unknown: the common body-worn rate). */
export function frameRate(rate: string): number {
  const [n, d] = rate.split('/').map(Number);
  const v = d ? n! / d : Number(n);
  return Number.isFinite(v) && v > 0 ? v : 30;
}

const share = (n: number, of: number) => (of ? Math.round((n / of) * 1000) / 1000 : 0);
const percent = (n: number, of: number) => `${Math.round((n / of) * 100)}% (${n} of ${of})`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const frames = (os: FrameObservation[]) => {
  const fs = os.slice(0, LIST).map((o) => o.f);
  return fs.join(', ') + (os.length > LIST ? ', …' : '');
};
