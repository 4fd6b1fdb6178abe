// Shapes of the clip API as the reviewer's screen uses them.
// TO BE REPLACED by imports from src/clips/clips.responses.ts on merge: the review API branch
// (rd-review-api) defines them there as zod schemas (ClipResponse, DerivativeResponse,
// ManifestResponse, MissedFaceResponse, DisclosureResponse); these are copies of those shapes. Fields
// that branch (and the risk flag's) add are optional here, so the screen works before and after.

export const CLIP_STATUSES = ['queued', 'processing', 'redacted', 'failed', 'approved', 'rejected'] as const;
export type ClipStatus = (typeof CLIP_STATUSES)[number];

/** A reason a clip must be reviewed by a person (flicker, near misses, frames too dark to judge…). */
export interface RiskReason {
  code: string;
  detail: string;
}

/** The mandatory-review flag (the risk branch): when `required`, approving needs `acknowledged`. */
export interface RiskFlag {
  required: boolean;
  reasons: RiskReason[];
}

export interface ReviewDecision {
  decision: 'approved' | 'rejected';
  note: string;
  by: string;
  at: string;
}

/** One revision of the redacted copy: 1 the automatic one, each missed face marked one more. */
export interface Derivative {
  sha256: string;
  size: number;
  manifestSha256: string;
  producedBy: string;
  producedAt: string;
  /** Absent before the review API merges: revision 1. */
  revision?: number;
  /** The redacted copy (SHA-256) this revision replaces. */
  previous?: string | null;
}

export interface Clip {
  id: string;
  camera: string;
  dock: string;
  station: string | null;
  holder: string | null;
  recordedFrom: string;
  recordedTo: string;
  size: number;
  status: ClipStatus;
  progress: number;
  failure: { reason: string; detail: string } | null;
  /** The current redacted copy. */
  derivative: Derivative | null;
  manifestSummary:
    (Record<string, unknown> & { fps?: number; revision?: number; manualAdditions?: number }) | null;
  /** The decision once reviewed; the risk branch may put the mandatory-review flag here too. */
  review: (Partial<ReviewDecision> & Partial<RiskFlag>) | null;
  /** The mandatory-review flag, if the API names it apart from the decision. */
  risk?: unknown;
  evidential: boolean;
  evidentialMark: { evidential: boolean; reason: string; by: string; at: string } | null;
  createdAt?: string;
  updatedAt?: string;
}

export interface ClipPage {
  items: Clip[];
  total: number;
  limit: number;
  offset: number;
}

/** The parts of src/redaction/manifest.ts (RedactionManifest) the player draws from. */
export interface ManifestView {
  input: { width: number; height: number; frameRate: string; frames: number };
  /** Boxes blurred on each frame that has any: [frame, [[x, y, w, h], …]]. */
  frames: Array<[number, Array<[number, number, number, number]>]>;
  detector?: { name?: string; modelPackage?: string; modelVersion?: string };
  revision?: number;
  previous?: string | null;
  /** Missed faces reviewers marked, covered by this revision. */
  manual?: Array<{
    mark: number;
    frame: number;
    box: Box;
    note: string | null;
    by: string;
    span: { from: number; to: number };
  }>;
}

/** A box in the video's own pixels. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface MissedFaceBody {
  frame: number;
  /** In the original's pixels; w and h at least 4. */
  box: Box;
  note?: string;
}

/** A reviewer's mark of a missed face (202 from POST /clips/:id/missed-faces). */
export interface MissedFace {
  id: string;
  clip: string;
  mark: number;
  /** The revision that will cover it. */
  revision: number;
  frame: number;
  box: Box;
  note: string | null;
  by: string;
  at: string;
  /** Its revision's redacted copy, once rendered. */
  derivative: string | null;
}

/** One disclosure (ICO: date, recipient, reason) of an approved redacted copy. */
export interface Disclosure {
  id: string;
  clip: string;
  camera: string;
  recordedFrom: string;
  revision: number;
  /** SHA-256 of the exported (redacted) file. */
  sha256: string;
  size: number;
  recipient: string;
  reason: string;
  by: string;
  at: string;
  /** API path (under /api/v1) that serves exactly the exported file. */
  download: string;
}

export interface DisclosurePage {
  items: Disclosure[];
  total: number;
  limit: number;
  offset: number;
}
