// Setting up an installation from the browser (issue 19): register and correct stations, docks,
// cameras and officers, import cameras and officers from CSV (a checked dry run first), and print
// camera label sheets. For stores staff and admins, the roles the API lets change the registers;
// a stores user with a home station works within it (the API says so, field by field).
// #/setup/<section>[/<serials> on labels].
import { useEffect } from 'react';
import type { Camera, Me, Station } from '../lib/types.js';
import { href } from '../route.js';
import { useGet } from './setup/common.js';
import { Import } from './setup/Import.js';
import { DockLabelsLink, Labels } from './setup/Labels.js';
import { Register } from './setup/Register.js';
import {
  CAMERA_COLUMNS,
  CAMERA_FIELDS,
  DOCK_COLUMNS,
  DOCK_FIELDS,
  OFFICER_COLUMNS,
  OFFICER_FIELDS,
  STATION_COLUMNS,
  STATION_FIELDS,
  type Dock,
  type Officer,
} from './setup/registers.js';

const SECTIONS = {
  stations: 'Stations',
  docks: 'Docks',
  cameras: 'Cameras',
  officers: 'Officers',
  import: 'Import CSV',
  labels: 'Labels',
} as const;
type Section = keyof typeof SECTIONS;

const isSection = (s: string | undefined): s is Section => !!s && Object.hasOwn(SECTIONS, s);

export function Setup({ me, route }: { me: Me; route: string[] }) {
  const stations = useGet<Station[]>('/stations');
  const list = stations.data ?? [];
  // A fresh installation has no station: everything else hangs on one, so start there.
  // Decided once, then in the address: registering the first station must not move the user.
  const landing: Section = stations.data && list.length === 0 ? 'stations' : 'cameras';
  const section: Section = isSection(route[1]) ? route[1] : landing;
  const decided = isSection(route[1]) || stations.data !== null || stations.error !== null;
  useEffect(() => {
    if (!isSection(route[1]) && decided) window.location.replace(href('setup', landing));
  }, [route, decided, landing]);

  return (
    <>
      <h1>Set-up</h1>
      {me.station && (
        <p className="muted" data-testid="scope">
          You act for station {me.station}: you may change its records only.
        </p>
      )}
      <nav aria-label="Set-up sections" className="subnav">
        <ul>
          {(Object.keys(SECTIONS) as Section[]).map((s) => (
            <li key={s}>
              <a href={href('setup', s)} aria-current={s === section ? 'page' : undefined}>
                {SECTIONS[s]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {section === 'stations' ? (
        <Register<Station>
          key={section}
          me={me}
          stations={list}
          onChanged={stations.reload}
          noun="Station"
          plural="Stations"
          path="/stations"
          keyOf={(s) => s.code}
          columns={STATION_COLUMNS}
          fields={STATION_FIELDS}
          byStation={false}
          searchHint="Station code or name"
          matches={(s, text) => s.code.toLowerCase().includes(text) || s.name.toLowerCase().includes(text)}
        />
      ) : section === 'docks' ? (
        <Register<Dock>
          key={section}
          me={me}
          stations={list}
          noun="Dock"
          plural="Docks"
          path="/docks"
          keyOf={(d) => d.id}
          columns={DOCK_COLUMNS}
          fields={DOCK_FIELDS}
          byStation
          searchHint="Dock id"
          actions={(view) => <DockLabelsLink {...view} />}
        />
      ) : section === 'cameras' ? (
        <Register<Camera>
          key={section}
          me={me}
          stations={list}
          noun="Camera"
          plural="Cameras"
          path="/cameras"
          keyOf={(c) => c.serial}
          columns={CAMERA_COLUMNS}
          fields={CAMERA_FIELDS}
          byStation
          searchHint="Serial or asset tag"
        />
      ) : section === 'officers' ? (
        <Register<Officer>
          key={section}
          me={me}
          stations={list}
          noun="Officer"
          plural="Officers"
          path="/officers"
          keyOf={(o) => o.number}
          columns={OFFICER_COLUMNS}
          fields={OFFICER_FIELDS}
          byStation
          searchHint="Officer number or name"
        />
      ) : section === 'import' ? (
        <Import />
      ) : (
        <Labels me={me} stations={list} initial={(route[2] ?? '').split(',').filter(Boolean)} />
      )}
    </>
  );
}
