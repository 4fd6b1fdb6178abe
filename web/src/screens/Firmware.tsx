// Firmware for IT: fleet compliance, artifacts and the versions register, campaigns (create with a
// preview, follow live, approve, pause, resume, cancel, roll back) and maintenance windows. The
// auditor sees the same pages with no action offered. #/firmware/<section>[/<campaign id>|/new].
import { canManageFirmware } from '../lib/firmware/rules.js';
import type { Me } from '../lib/types.js';
import { href } from '../route.js';
import { Artifacts } from './firmware/Artifacts.js';
import { CampaignCreate } from './firmware/CampaignCreate.js';
import { CampaignDetail } from './firmware/CampaignDetail.js';
import { Campaigns } from './firmware/Campaigns.js';
import { Compliance } from './firmware/Compliance.js';
import { Windows } from './firmware/Windows.js';

const SECTIONS = {
  compliance: 'Compliance',
  artifacts: 'Artifacts and versions',
  campaigns: 'Campaigns',
  windows: 'Maintenance windows',
} as const;
type Section = keyof typeof SECTIONS;

const isSection = (s: string | undefined): s is Section => !!s && Object.hasOwn(SECTIONS, s);

export function Firmware({ me, route }: { me: Me; route: string[] }) {
  const section: Section = isSection(route[1]) ? route[1] : 'compliance';
  const sub = route[2];
  const manage = canManageFirmware(me.role);

  return (
    <>
      <h1>Firmware</h1>
      {!manage && (
        <p className="muted" data-testid="read-only">
          Read only: your role may look at firmware but not change it.
        </p>
      )}
      <nav aria-label="Firmware sections" className="subnav">
        <ul>
          {(Object.keys(SECTIONS) as Section[]).map((s) => (
            <li key={s}>
              <a href={href('firmware', s)} aria-current={s === section ? 'page' : undefined}>
                {SECTIONS[s]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {section === 'compliance' ? (
        <Compliance />
      ) : section === 'artifacts' ? (
        <Artifacts manage={manage} />
      ) : section === 'windows' ? (
        <Windows manage={manage} />
      ) : sub === 'new' && manage ? (
        <CampaignCreate />
      ) : sub && sub !== 'new' ? (
        <CampaignDetail id={sub} me={me} />
      ) : (
        <Campaigns manage={manage} />
      )}
    </>
  );
}
