// What the stores desk says for each answer the check-out/check-in API can give: a headline big
// enough to read from a step back, and what to do next. Keyed by the problem types the server
// declares (src/shared/problem-types.ts): every refusal the check-out and check-in routes declare
// must have its wording here (a missing one is a compile error), and a slug the server does not
// declare cannot be keyed.
import type { DeskProblem } from '../../../src/assignments/assignments.responses.js';
import type { ProblemSlug } from '../../../src/shared/problem-types.js';
import type { ClientProblem, Problem } from '../api.js';

export interface Feedback {
  tone: 'ok' | 'refused' | 'error';
  headline: string;
  advice: string;
  /** On an issue: who the camera went to, for the clerk to check against the person (no photo). */
  who?: { number: string; name: string; station: string };
  /** On a refused camera: the camera to take instead (`instead` of the problem), or why there is none. */
  instead?: string;
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
  'camera-in-transit': [
    'Camera is in transit',
    'It is travelling between stations: it can be issued once the receiving station books it in. Scan another camera.',
  ],
  'camera-battery-low': ['Battery too low to issue', 'Put it in a dock to charge and scan another camera.'],
  'camera-firmware-blocked': [
    'Firmware blocked',
    'Do not issue. Put it in a dock for IT to update, and scan another camera.',
  ],
  'camera-firmware-not-approved': [
    'Firmware not approved for issue',
    'Put it in a dock for IT to update, and scan another camera.',
  ],
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
 * What the desk says for a problem the API answered: the wording of its type, a field error's own
 * words for input the API refused (not "Invalid query"), and the camera to take instead when the
 * API names one (`instead`, on a check-out refused for its camera).
 */
export function feedbackForProblem(
  slug: string,
  p: Pick<Problem, 'detail' | 'errors' | 'instead'>,
): Feedback {
  const fieldError = slug === 'validation-failed' ? p.errors?.[0]?.message : undefined;
  const f = feedbackFor(slug, fieldError ?? p.detail);
  if (p.instead === undefined) return f;
  const battery = p.instead?.battery == null ? '' : ` (battery ${p.instead.battery}%)`;
  return {
    ...f,
    instead: p.instead
      ? `Take ${p.instead.serial} instead${battery}.`
      : 'No other camera on this station’s shelf is fit to issue: call the duty inspector.',
  };
}
