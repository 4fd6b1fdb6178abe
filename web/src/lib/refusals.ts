// What the stores desk says for each answer the check-out/check-in API can give: a headline big
// enough to read from a step back, and what to do next. Keyed by the problem types the server
// declares (src/shared/problem-types.ts): every refusal the check-out and check-in routes declare
// must have its wording here (a missing one is a compile error), and a slug the server does not
// declare cannot be keyed.
import type { DeskProblem } from '../../../src/assignments/assignments.responses.js';
import type { ProblemSlug } from '../../../src/shared/problem-types.js';
import type { ClientProblem } from '../api.js';

export interface Feedback {
  tone: 'ok' | 'refused' | 'error';
  headline: string;
  advice: string;
}

type Wording = [headline: string, advice: string];

const REFUSALS: Record<DeskProblem, Wording> & Partial<Record<ProblemSlug | ClientProblem, Wording>> = {
  'camera-already-issued': [
    'Already issued',
    'This camera is out with someone else. Take another camera, or return this one first.',
  ],
  'officer-already-holds-camera': [
    'Officer already has a camera',
    'Return the camera they hold before issuing another.',
  ],
  'camera-faulty': ['Camera is faulty', 'Do not issue. Put it in the repair tray and scan another camera.'],
  'camera-in-repair': ['Camera is in repair', 'It should not be on the counter. Scan another camera.'],
  'camera-lost': ['Camera reported lost or stolen', 'Keep the camera and call the duty inspector.'],
  'camera-retired': ['Camera is retired', 'Do not issue. Scan another camera.'],
  'camera-at-another-station': [
    'Camera belongs to another station',
    'Issue one of this station’s cameras, or transfer it first.',
  ],
  'camera-not-issued': ['Camera is not issued', 'Nothing to return: it is already in stock or elsewhere.'],
  'camera-status-conflict': [
    'Camera cannot be returned now',
    'Its status does not allow it; check the camera record.',
  ],
  'officer-inactive': ['Officer is not active', 'Their record is disabled; call the duty inspector.'],
  'camera-not-found': [
    'Unknown camera',
    'That code is not a registered camera. Scan the barcode on the camera.',
  ],
  'officer-not-found': [
    'Unknown warrant card',
    'That number is not a registered officer. Scan the warrant card again.',
  ],
  'validation-failed': ['That code cannot be right', 'Scan again; codes are letters, digits and dashes.'],
  'idempotency-key-reused': ['Repeated scan with different data', 'Start again with Escape.'],
  'idempotency-request-in-progress': ['Still working on the last scan', 'Wait a moment and scan again.'],
  'camera-in-transit': ['Camera is in transit', 'It is being moved to another station. Scan another camera.'],
  forbidden: ['Not allowed for your role', 'Ask a stores officer to do this.'],
  'out-of-station-scope': [
    'Another station’s camera or officer',
    'You act for your own station only. Ask that station’s stores, or transfer the camera.',
  ],
  unauthenticated: ['You are logged out', 'Log in again.'],
  network: ['No connection to the server', 'Nothing was changed. Check the network and scan again.'],
};

const isKnown = (slug: string): slug is keyof typeof REFUSALS => Object.hasOwn(REFUSALS, slug);

/** `slug` is whatever the server answered; one it declares but the desk has no words for is an error. */
export function feedbackFor(slug: string, detail?: string): Feedback {
  const known = isKnown(slug) ? REFUSALS[slug] : undefined;
  if (known)
    return { tone: 'refused', headline: known[0], advice: detail ? `${detail}. ${known[1]}` : known[1] };
  return {
    tone: 'error',
    headline: 'Something went wrong',
    advice: detail ?? 'Nothing was changed. Try again.',
  };
}

export const REFUSAL_TYPES = Object.keys(REFUSALS);

/**
 * A scanned camera whose firmware IT has blocked is unfit for duty: its live health says so in the
 * words every screen uses (`firmware 1.9.0 is blocked`). The desk refuses to issue it, like a faulty one.
 */
export function firmwareRefusal(live: unknown): Feedback | null {
  const reasons = (live as { reasons?: unknown } | null | undefined)?.reasons;
  const blocked = Array.isArray(reasons)
    ? reasons.find((r): r is string => typeof r === 'string' && /^firmware \S+ is blocked$/.test(r))
    : undefined;
  if (!blocked) return null;
  return {
    tone: 'refused',
    headline: 'Firmware blocked',
    advice: `Do not issue: ${blocked}. Put it in a dock for IT to update, and scan another camera.`,
  };
}
