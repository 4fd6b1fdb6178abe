// Credentials for the simulated fleet: issued through the platform's API with an IT or admin token
// (POST /api/v1/cameras/:serial/credentials, …/docks/:id/credentials), or read from a JSON file
// written by an earlier run (--credentials FILE), so a fleet can reconnect without re-issuing.
import { readFile, writeFile } from 'node:fs/promises';
import type { Credential } from './runner.js';

export async function provision(opts: {
  api: string;
  token: string;
  devices: Array<{ kind: 'camera' | 'dock'; id: string }>;
  concurrency?: number;
  log: (line: string) => void;
}): Promise<Credential[]> {
  const out: Credential[] = [];
  let next = 0;
  const worker = async () => {
    while (next < opts.devices.length) {
      const d = opts.devices[next++]!;
      const path = d.kind === 'camera' ? `cameras/${d.id}` : `docks/${d.id}`;
      const res = await fetch(`${opts.api}/api/v1/${path}/credentials`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${opts.token}` },
      });
      if (res.status !== 201)
        throw new Error(`provisioning ${d.kind} ${d.id}: HTTP ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { username: string; password: string };
      out.push({ ...d, ...body });
      if (out.length % 1000 === 0) opts.log(`provisioned ${out.length}/${opts.devices.length}`);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
  return out;
}

export async function readCredentials(file: string): Promise<Credential[]> {
  return JSON.parse(await readFile(file, 'utf8')) as Credential[];
}

export async function writeCredentials(file: string, creds: Credential[]) {
  await writeFile(file, JSON.stringify(creds), { mode: 0o600 });
}
