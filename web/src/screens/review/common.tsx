// Pieces the clip screens share: dates, error text, the clip sub-navigation, the status and the
// mandatory-review flag.
import { ApiError } from '../../api.js';
import { riskOf } from '../../lib/review/frames.js';
import type { Clip } from '../../lib/review/types.js';
import type { Me, Role } from '../../lib/types.js';
import { href } from '../../route.js';

export const when = (iso: string) =>
  new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

export const errText = (e: unknown, fallback: string) => (e instanceof ApiError ? e.message : fallback);

/** Reviewers decide on redactions, mark evidence, mark missed faces and disclose (the API's REVIEWERS). */
export const isReviewer = (me: Me) => me.role === 'reviewer';
/** May see the unredacted original, with a reason (the API's ORIGINAL_VIEWERS). */
export const seesOriginal = (me: Me) => me.role === 'reviewer' || me.role === 'admin';
/** May read the force-wide disclosure log. */
export const DISCLOSURE_LOG_ROLES: readonly Role[] = ['reviewer', 'admin', 'auditor'];

export function ClipsNav({ me, current }: { me: Me; current: 'queue' | 'disclosures' | 'clip' }) {
  if (!DISCLOSURE_LOG_ROLES.includes(me.role)) return null;
  return (
    <nav className="subnav" aria-label="Clips">
      <ul>
        <li>
          <a href={href('clips')} aria-current={current === 'queue' ? 'page' : undefined}>
            Queue
          </a>
        </li>
        <li>
          <a
            href={href('clips', 'disclosures')}
            aria-current={current === 'disclosures' ? 'page' : undefined}
          >
            Disclosure log
          </a>
        </li>
      </ul>
    </nav>
  );
}

const STATUS_TEXT: Record<Clip['status'], string> = {
  queued: 'Queued',
  processing: 'Redacting',
  redacted: 'Awaiting review',
  failed: 'Failed',
  approved: 'Approved',
  rejected: 'Rejected',
};

export function StatusBadge({ clip }: { clip: Clip }) {
  return (
    <span className={`badge clip-${clip.status}`} data-status={clip.status}>
      {STATUS_TEXT[clip.status]}
      {clip.status === 'processing' && ` ${Math.round(clip.progress * 100)}%`}
    </span>
  );
}

/** "Needs review" with its reasons, or nothing when the clip is not flagged. */
export function RiskFlagText({ clip, long = false }: { clip: Clip; long?: boolean }) {
  const risk = riskOf(clip);
  if (!risk?.required) return <span className="muted">—</span>;
  return (
    <span className="risk" data-risk="required">
      <span className="badge risk-badge">Needs review</span>{' '}
      {long ? (
        <ul className="risk-reasons">
          {risk.reasons.map((r) => (
            <li key={r.code}>
              <strong>{r.code}</strong>: {r.detail}
            </li>
          ))}
        </ul>
      ) : (
        <span className="fw-small">{risk.reasons.map((r) => r.code).join(', ')}</span>
      )}
    </span>
  );
}
