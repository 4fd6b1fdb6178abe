/// <reference lib="dom" />
// For the reviewer's screen in the browser: a real clip (footage.ts) offloaded by a dock for a camera
// an officer holds, redacted by the platform's own worker; and what the page's player shows.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { TestApp } from './app.js';
import { newCamera, newDock, newOfficer, newStation } from './factories.js';
import { renderClip, standardClip } from './footage.js';
import { credentialsFor } from './mqtt.js';
import { offload, sha256 } from './offload.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies checked by shape
export type Json = Record<string, any>;

export interface RedactedClip {
  id: string;
  camera: string;
  officer: string;
  station: string;
}

/** Offloads a 640×360 clip of `frames` frames at 30 fps (frames make it a different clip) and waits for its redaction. */
export async function redactedClip(
  app: TestApp,
  admin: Record<string, string>,
  frames: number,
): Promise<RedactedClip> {
  const station = await newStation(app, admin);
  const officer = await newOfficer(app, admin, { station });
  const camera = await newCamera(app, admin, { station });
  const dock = await newDock(app, admin, { station });
  await app.http().post('/api/v1/checkouts').set(admin).send({ camera, officer, mode: 'pool' }).expect(201);
  const file = path.join(app.platform.config.DATA_DIR, `clip-${frames}.mp4`);
  await renderClip(standardClip(640, 360, frames, 30, true), file);
  const bytes = await readFile(file);
  const up = await offload(
    app.url,
    await credentialsFor(app, admin, 'dock', dock, { registered: true }),
    bytes,
    {
      camera,
      // Recorded after the check-out, so the clip names the officer who held the camera.
      recordedFrom: new Date(),
      recordedTo: new Date(Date.now() + 30_000),
    },
  );
  if (up.status !== 201) throw new Error(`offload answered ${up.status}`);
  const id = sha256(bytes);
  await waitForClip(app, admin, id, (c) => c.status !== 'queued' && c.status !== 'processing');
  const clip = await getClip(app, admin, id);
  if (clip.status !== 'redacted') throw new Error(`clip is ${String(clip.status)}`);
  return { id, camera, officer, station };
}

export async function getClip(app: TestApp, headers: Record<string, string>, id: string): Promise<Json> {
  return (await app.http().get(`/api/v1/clips/${id}`).set(headers).expect(200)).body as Json;
}

export async function waitForClip(
  app: TestApp,
  headers: Record<string, string>,
  id: string,
  done: (c: Json) => boolean,
  ms = 200_000,
): Promise<Json> {
  const until = Date.now() + ms;
  for (;;) {
    const c = await getClip(app, headers, id);
    if (done(c)) return c;
    if (Date.now() > until) throw new Error(`clip ${id.slice(0, 12)} stayed ${String(c.status)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** A <video> by the start of its accessible name. */
export const video = (page: Page, label: string) => page.locator(`video[aria-label^="${label}"]`);

/** Waits until the <video> (by the start of its accessible name) has decoded a frame. */
export async function videoReady(page: Page, label: string) {
  const v = video(page, label);
  await v.waitFor();
  await page.waitForFunction((el) => (el as HTMLVideoElement).readyState >= 2, await v.elementHandle(), {
    timeout: 30_000,
  });
  return v;
}

/** Seeks the redacted player to the middle of `frame` and waits for the overlay to draw that frame. */
export async function showFrame(page: Page, frame: number, fps: number) {
  await video(page, 'Redacted clip').evaluate(
    (v, t) => ((v as HTMLVideoElement).currentTime = t),
    (frame + 0.5) / fps,
  );
  await page.locator(`[data-testid="player"][data-frame="${frame}"]`).waitFor();
}

/**
 * Whether the overlay canvas has the box colour (#ffd400) near a point of the displayed picture
 * (element pixels); and how many pixels it has drawn at all.
 */
export async function overlayAt(page: Page, x: number, y: number) {
  return page.locator('[data-testid="player"] canvas').evaluate(
    (c, p) => {
      const canvas = c as HTMLCanvasElement;
      const k = canvas.width / canvas.clientWidth;
      const ctx = canvas.getContext('2d')!;
      const all = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let drawn = 0;
      for (let i = 3; i < all.length; i += 4) if (all[i]! > 0) drawn++;
      const near = ctx.getImageData(Math.round(p.x * k) - 2, Math.round(p.y * k) - 2, 5, 5).data;
      let box = false;
      for (let i = 0; i < near.length; i += 4) {
        if (near[i]! > 200 && near[i + 1]! > 170 && near[i + 2]! < 90 && near[i + 3]! > 200) box = true;
      }
      return { box, drawn };
    },
    { x, y },
  );
}
