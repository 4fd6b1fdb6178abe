// Shapes of the clip API as the reviewer's screen uses them: the server's own response schemas
// (src/clips/clips.responses.ts), so a change there fails the dashboard's type-check.
import type { z } from 'zod';
import type {
  ClipPage as ClipPageSchema,
  ClipResponse,
  ClipRiskResponse,
  DerivativeResponse,
  DisclosurePage as DisclosurePageSchema,
  DisclosureResponse,
  ManifestResponse,
  MissedFaceResponse,
} from '../../../../src/clips/clips.responses.js';

export { CLIP_STATUSES } from '../../../../src/clips/clips.responses.js';
export type ClipStatus = ClipResponse['status'];
export type Clip = ClipResponse;
export type ClipPage = z.infer<typeof ClipPageSchema>;
export type Derivative = DerivativeResponse;
export type ManifestView = ManifestResponse;
export type MissedFace = MissedFaceResponse;
export type Disclosure = DisclosureResponse;
export type DisclosurePage = z.infer<typeof DisclosurePageSchema>;
export type ClipRisk = z.infer<typeof ClipRiskResponse>;
export type RiskReason = ClipRisk['reasons'][number];

/** The mandatory-review flag as the screen reads it: when `required`, approving needs `acknowledged`. */
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
