// The redaction worker keeps the face detector's model processes loaded from one clip to the next
// (src/redaction/warm-detector.ts). What must hold: the models load once for many clips; a clip's
// boxes do not depend on the clips before it (the tile rotation starts again); a failure that may be
// the models' drops them so the next clip loads afresh; and stopping never cuts a clip short.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FaceDetector } from '../../src/redaction/detector/detector.js';
import { DEFAULT_PARAMS, redactClip } from '../../src/redaction/redact.js';
import { WarmDetector } from '../../src/redaction/warm-detector.js';
import { renderClip, standardClip } from '../helpers/footage.js';

describe('the warm face detector', () => {
  let dir: string;
  let clip: string;
  let other: string;
  const warm = new WarmDetector(DEFAULT_PARAMS.detector, 60_000);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bwv-warm-'));
    // 720p: nine CenterFace tiles in rotation, so a rotation carried over would change the boxes.
    clip = path.join(dir, 'clip.mp4');
    other = path.join(dir, 'other.mp4');
    await renderClip(standardClip(1280, 720, 30, 30, false), clip);
    await renderClip(standardClip(1280, 720, 17, 30, false), other);
  }, 120_000);
  afterAll(async () => {
    await warm.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the models once, and gives a clip the boxes a fresh detector gives it', async () => {
    const used: FaceDetector[] = [];
    const redact = (input: string, out: string) =>
      warm.use((detector) => {
        used.push(detector);
        return redactClip(input, path.join(dir, out), { detector });
      });
    await redact(other, 'other-out.mp4'); // 17 frames: leaves the rotation mid-way
    const warmRun = await redact(clip, 'warm.mp4');
    const fresh = await redactClip(clip, path.join(dir, 'fresh.mp4'));
    expect(used[1]).toBe(used[0]);
    expect(warmRun.frames.length).toBeGreaterThan(0);
    expect(warmRun.frames).toEqual(fresh.frames);
    expect(warmRun.boxSources).toEqual(fresh.boxSources);
  }, 120_000);

  it('loads afresh after a failure that may have been the models’', async () => {
    let before: FaceDetector | undefined;
    await warm.use((d) => {
      before = d;
      return Promise.resolve();
    });
    await expect(warm.use(() => Promise.reject(new Error('model process exited')))).rejects.toThrow(
      'model process exited',
    );
    const after = await warm.use((d) => Promise.resolve(d));
    expect(after).not.toBe(before);
    // The new one works.
    const m = await warm.use((detector) => redactClip(other, path.join(dir, 'after.mp4'), { detector }));
    expect(m.frames.length).toBeGreaterThan(0);
  }, 60_000);

  it('lets the clip in hand finish when asked to stop, then ends the models', async () => {
    const order: string[] = [];
    let asked = false;
    const m = await warm.use((detector) =>
      redactClip(clip, path.join(dir, 'stopping.mp4'), {
        detector,
        onProgress: (done, total) => {
          // Asked to stop while the first frames go through: close() answers, the clip goes on.
          if (asked || done === total) return;
          asked = true;
          void warm.close().then(() => order.push('close() answered'));
        },
      }).then((manifest) => {
        order.push('clip finished');
        return manifest;
      }),
    );
    expect(order).toEqual(['close() answered', 'clip finished']);
    expect(m.frames.length).toBeGreaterThan(0);
    // Ended after it: the next clip loads new model processes, and they work.
    const next = await warm.use((detector) => redactClip(other, path.join(dir, 'next.mp4'), { detector }));
    expect(next.frames.length).toBeGreaterThan(0);
  }, 60_000);
});
