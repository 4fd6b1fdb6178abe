// Offloaded clips and their review (issue 18): the queue (#/clips), one clip's page (#/clips/{id})
// with the player, the original behind a reason, the decision, missed faces and disclosures, and the
// force-wide disclosure log (#/clips/disclosures). Who may do what follows the API's roles:
// reviewers decide, mark and disclose; admins see originals and disclose; auditors read the log.
import type { Me } from '../lib/types.js';
import { ClipDetail } from './review/ClipDetail.js';
import { DISCLOSURE_LOG_ROLES } from './review/common.js';
import { DisclosureLog } from './review/DisclosureLog.js';
import { Queue } from './review/Queue.js';

const isClipId = (s: string | undefined): s is string => typeof s === 'string' && /^[0-9a-f]{64}$/.test(s);

export function Clips({ me, route }: { me: Me; route: string[] }) {
  const sub = route[1];
  if (sub === 'disclosures' && DISCLOSURE_LOG_ROLES.includes(me.role)) return <DisclosureLog me={me} />;
  if (isClipId(sub)) return <ClipDetail key={sub} id={sub} me={me} />;
  return <Queue me={me} />;
}
