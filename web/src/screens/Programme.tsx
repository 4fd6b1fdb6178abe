// The phased rollout's programme screen (issue 17), for the programme lead, the board, admins and
// auditors: phases on a timeline with the actions each role may take, the allocation planner with
// what-if, the budget and its tranches, metrics per phase, the concerns log and the progress
// reports. The auditor sees it all and is offered no action.
// #/programme/<section>[/<phase id>[/edit]|/new].
import { isReadOnly } from '../lib/rollout/rules.js';
import type { Me } from '../lib/types.js';
import { href } from '../route.js';
import { Budget } from './programme/Budget.js';
import { Concerns } from './programme/Concerns.js';
import { Metrics } from './programme/Metrics.js';
import { Phases } from './programme/Phases.js';
import { Planner } from './programme/Planner.js';
import { Reports } from './programme/Reports.js';

const SECTIONS = {
  phases: 'Phases',
  planner: 'Planner',
  budget: 'Budget',
  metrics: 'Metrics',
  concerns: 'Concerns',
  reports: 'Reports',
} as const;
type Section = keyof typeof SECTIONS;

const isSection = (s: string | undefined): s is Section => !!s && Object.hasOwn(SECTIONS, s);

export function Programme({ me, route }: { me: Me; route: string[] }) {
  const section: Section = isSection(route[1]) ? route[1] : 'phases';
  const sub = route[2];

  return (
    <>
      <h1>Rollout programme</h1>
      {isReadOnly(me.role) && (
        <p className="muted" data-testid="read-only">
          Read only: your role may look at the programme but not change it.
        </p>
      )}
      <nav aria-label="Programme sections" className="subnav">
        <ul>
          {(Object.keys(SECTIONS) as Section[]).map((s) => (
            <li key={s}>
              <a href={href('programme', s)} aria-current={s === section ? 'page' : undefined}>
                {SECTIONS[s]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {section === 'phases' ? (
        <Phases me={me} selected={sub ?? null} editing={route[3] === 'edit'} />
      ) : section === 'planner' ? (
        <Planner phaseId={sub ?? null} />
      ) : section === 'budget' ? (
        <Budget me={me} />
      ) : section === 'metrics' ? (
        <Metrics />
      ) : section === 'concerns' ? (
        <Concerns me={me} />
      ) : (
        <Reports me={me} />
      )}
    </>
  );
}
