// Credentials for the simulated fleet: issued through the platform's API with an IT or admin token
// (POST /api/v1/devices/credentials, a thousand devices a request), or read from a JSON file
// written by an earlier run (--credentials FILE), so a fleet can reconnect without re-issuing.
import { readFile, writeFile } from 'node:fs/promises';
import type { RegisterFleet } from './model.js';
import type { Credential } from './runner.js';

const BATCH = 1000;

export async function provision(opts: {
  api: string;
  token: string;
  devices: Array<{ kind: 'camera' | 'dock'; id: string }>;
  log: (line: string) => void;
}): Promise<Credential[]> {
  const out: Credential[] = [];
  const issue = (devices: typeof opts.devices) =>
    fetch(`${opts.api}/api/v1/devices/credentials`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ devices }),
    });
  for (let i = 0; i < opts.devices.length; i += BATCH) {
    const batch = opts.devices.slice(i, i + BATCH);
    let res = await issue(batch);
    // A busy server may fail a request (5xx); re-issuing is harmless (it revokes the earlier ones).
    for (let attempt = 1; res.status >= 500 && attempt < 4; attempt++) {
      await new Promise((r) => setTimeout(r, 500 * attempt));
      res = await issue(batch);
    }
    if (res.status !== 201) throw new Error(`provisioning: HTTP ${res.status} ${await res.text()}`);
    out.push(...((await res.json()) as { credentials: Credential[] }).credentials);
    opts.log(`provisioned ${out.length}/${opts.devices.length}`);
  }
  return out;
}

export async function readCredentials(file: string): Promise<Credential[]> {
  return JSON.parse(await readFile(file, 'utf8')) as Credential[];
}

export async function writeCredentials(file: string, creds: Credential[]) {
  await writeFile(file, JSON.stringify(creds), { mode: 0o600 });
}

/**
 * Puts the simulated fleet in the register (credentials are only issued for registered devices):
 * the station, each dock, and the cameras by CSV import in chunks. Already-registered ones are kept.
 */
export async function registerFleet(opts: {
  api: string;
  token: string;
  station: string;
  docks: string[];
  cameras: string[];
  log: (line: string) => void;
}) {
  const headers = { Authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' };
  const post = async (path: string, body: unknown, type = 'application/json') => {
    const res = await fetch(`${opts.api}/api/v1/${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': type },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    if (res.status >= 400 && res.status !== 409) {
      throw new Error(`register ${path}: HTTP ${res.status} ${await res.text()}`);
    }
    return res.status;
  };
  await post('stations', { code: opts.station, name: `Simulated station ${opts.station}` });
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < opts.docks.length) {
        const id = opts.docks[next++]!;
        await post('docks', { id, station: opts.station, slots: 12, model: 'SIM-DOCK12' });
      }
    }),
  );
  for (let i = 0; i < opts.cameras.length; i += 1000) {
    const rows = opts.cameras.slice(i, i + 1000).map((s) => `${s},SIM-CAM,AT-${s},${opts.station}`);
    const res = await fetch(`${opts.api}/api/v1/cameras/import`, {
      method: 'POST',
      headers: { Authorization: headers.Authorization, 'content-type': 'text/csv' },
      body: ['serial,model,assetTag,station', ...rows].join('\n'),
    });
    // 422: some rows already registered (an earlier run); the rest of the chunk is not imported.
    if (res.status === 422) opts.log(`cameras ${i + 1}–${i + rows.length}: already registered (kept)`);
    else if (res.status !== 201) throw new Error(`camera import: HTTP ${res.status} ${await res.text()}`);
  }
  opts.log(`registered ${opts.docks.length} docks and ${opts.cameras.length} cameras at ${opts.station}`);
}

/**
 * The devices the platform already has (`--from-register`): every dock, and every camera in stock
 * or issued (with its holder), read page by page from the register with a staff token. Faulty, in
 * repair, lost and retired cameras are left switched off.
 */
export async function readRegister(opts: {
  api: string;
  token: string;
  log: (line: string) => void;
}): Promise<Omit<RegisterFleet, 'atRisk'>> {
  const all = async <T>(path: string): Promise<T[]> => {
    const items: T[] = [];
    for (let offset = 0; ; offset += 500) {
      const res = await fetch(`${opts.api}/api/v1/${path}?limit=500&offset=${offset}`, {
        headers: { Authorization: `Bearer ${opts.token}` },
      });
      if (res.status !== 200)
        throw new Error(`reading the register (${path}): HTTP ${res.status} ${await res.text()}`);
      const page = (await res.json()) as { items: T[]; total: number };
      items.push(...page.items);
      if (page.items.length === 0 || items.length >= page.total) return items;
    }
  };
  const docks = await all<{ id: string; station: string; slots: number }>('docks');
  const cameras = (
    await all<{ serial: string; station: string; status: string; holder: string | null }>('cameras')
  ).filter((c) => c.status === 'in_stock' || c.status === 'issued');
  opts.log(
    `the register has ${docks.length} docks and ${cameras.length} cameras in stock or issued (${cameras.filter((c) => c.holder).length} issued)`,
  );
  return {
    docks: docks.map((d) => ({ id: d.id, station: d.station, slots: d.slots })),
    cameras: cameras.map((c) => ({
      serial: c.serial,
      station: c.station,
      holder: c.status === 'issued' ? c.holder : null,
    })),
  };
}
