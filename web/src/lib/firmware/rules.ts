// Who may do what to a campaign, as the screens show it (the API decides; this only chooses which
// buttons to offer and explains a refusal before it happens). IT and admins manage firmware; the
// auditor reads everything and is offered nothing. Two-person rule: whoever created a campaign
// cannot approve it, nor any of its waves.
import type { Role } from '../types.js';
import { FIRMWARE_MANAGERS, type CampaignSummary, type WaveProgress } from './types.js';

export const canManageFirmware = (role: Role) => FIRMWARE_MANAGERS.includes(role);

export interface CampaignActions {
  /** Approve the campaign (it awaits approval) or the wave that waits for it; null: nothing to approve. */
  approve: { wave: number | null } | null;
  /** The viewer created it, so the approval must come from someone else. */
  ownCampaign: boolean;
  pause: boolean;
  resume: boolean;
  cancel: boolean;
  rollback: boolean;
}

const NONE: CampaignActions = {
  approve: null,
  ownCampaign: false,
  pause: false,
  resume: false,
  cancel: false,
  rollback: false,
};

/** What needs approving: the campaign itself, or a later wave held for a person's approval. */
export function pendingApproval(
  c: Pick<CampaignSummary, 'status'> & { waves?: Array<Pick<WaveProgress, 'index' | 'status'>> },
): { wave: number | null } | null {
  if (c.status === 'awaiting-approval') return { wave: null };
  if (c.status !== 'running' && c.status !== 'paused') return null;
  const held = c.waves?.find((w) => w.status === 'awaiting-approval');
  return held ? { wave: held.index } : null;
}

export function campaignActions(
  c: Pick<CampaignSummary, 'status' | 'createdBy' | 'counts'> & {
    waves?: Array<Pick<WaveProgress, 'index' | 'status'>>;
  },
  me: { username: string; role: Role },
): CampaignActions {
  if (!canManageFirmware(me.role)) return NONE;
  const approval = pendingApproval(c);
  const own = c.createdBy === me.username;
  const live = c.status === 'running' || c.status === 'paused' || c.status === 'awaiting-approval';
  return {
    approve: approval && !own ? approval : null,
    ownCampaign: approval !== null && own,
    pause: c.status === 'running',
    resume: c.status === 'paused',
    cancel: live,
    // Back to the previous version for the devices this one updated: only once it has stopped
    // sending (a rollback of a campaign still sending would chase it).
    rollback:
      (c.status === 'completed' || c.status === 'canceled' || c.status === 'paused') &&
      (c.counts.succeeded ?? 0) > 0,
  };
}

/** The two-person rule in words, for the person who cannot approve (the creator). */
export function twoPersonMessage(
  c: Pick<CampaignSummary, 'createdBy'>,
  me: { username: string },
  wave: number | null = null,
): string {
  const what = wave === null ? 'this campaign' : `wave ${wave} of this campaign`;
  const who =
    c.createdBy === me.username ? 'You created this campaign' : `${c.createdBy} created this campaign`;
  return (
    `${who}, so someone else in IT (or an admin) must approve ${what}. ` +
    'Two people check every campaign before it reaches a device: the two-person rule.'
  );
}

/**
 * What to say for a refusal the firmware API can give, keyed by problem slug; the API's own detail
 * follows it. Slugs not listed are shown by their title and detail only.
 */
export const FIRMWARE_ADVICE: Record<string, string> = {
  'firmware-approval-own-campaign':
    'The person who created a campaign cannot approve it (the two-person rule). Ask someone else in IT, or an admin.',
  'firmware-signature-invalid':
    'Nothing was kept. Check that the signature is the vendor’s Ed25519 signature of exactly this file, in base64.',
  'firmware-version-exists':
    'That version of that model is already uploaded. Artifacts are write-once: give a new build a new version.',
  'firmware-campaign-empty': 'No device matches the selection: widen it, or check the preview.',
  'firmware-artifact-unusable':
    'Choose another artifact: it must be for this kind and model, and not a blocked version.',
  'firmware-campaign-state': 'Someone may have changed it a moment ago: the page now shows it as it is.',
  'firmware-rollback-unavailable':
    'A rollback needs devices this campaign updated and an uploaded artifact of the version they had before.',
  forbidden: 'Your role may read firmware but not change it.',
};
