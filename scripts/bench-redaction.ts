// Redaction throughput and recall: `npm run bench:redaction`.
// Builds a 1280×720 30 fps clip from real photographs (test/helpers/footage.ts), measures ffmpeg
// decode → Node → encode alone (the ceiling), then the full pipeline; recall is the share of true
// face-frames whose face box is inside a blurred box, on the 720p clip and on the 640×360 test clip.
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import type { Box } from '../src/redaction/box.js';
import type { RedactionManifest } from '../src/redaction/manifest.js';
import { DEFAULT_PARAMS, redactClip } from '../src/redaction/redact.js';
import { Encoder, decodeFrames, probe } from '../src/redaction/video/ffmpeg.js';
import { renderClip, standardClip } from '../test/helpers/footage.js';

const FRAMES = Number(process.env.BENCH_FRAMES ?? 150);

function recall(truth: Box[][], m: RedactionManifest) {
  const byFrame = new Map(m.frames);
  let faces = 0;
  let covered = 0;
  truth.forEach((faceBoxes, f) => {
    for (const t of faceBoxes) {
      faces++;
      const hit = (byFrame.get(f) ?? []).some(
        ([x, y, w, h]) => x <= t.x + 1 && y <= t.y + 1 && x + w >= t.x + t.w - 1 && y + h >= t.y + t.h - 1,
      );
      if (hit) covered++;
    }
  });
  return { faces, covered, recall: covered / faces };
}

async function ceiling(input: string, output: string) {
  const info = await probe(input);
  const enc = new Encoder(input, output, info, DEFAULT_PARAMS.encoder);
  const t = performance.now();
  let n = 0;
  for await (const [, frame] of decodeFrames(input, info)) {
    await enc.write(frame);
    n++;
  }
  await enc.finish();
  return n / ((performance.now() - t) / 1000);
}

const dir = await mkdtemp(path.join(tmpdir(), 'bwv-bench-'));
try {
  const hd = path.join(dir, 'hd.mp4');
  const small = path.join(dir, 'small.mp4');
  const truthHd = await renderClip(standardClip(1280, 720, FRAMES, 30, true), hd);
  const truthSmall = await renderClip(standardClip(640, 360, 45, 30, true), small);

  const ceilingFps = await ceiling(hd, path.join(dir, 'ceiling.mp4'));
  const m = await redactClip(hd, path.join(dir, 'hd-out.mp4'));
  const mSmall = await redactClip(small, path.join(dir, 'small-out.mp4'));
  const rHd = recall(truthHd, m);
  const rSmall = recall(truthSmall, mSmall);
  const results = {
    machine: `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    clip: `1280x720 30 fps, ${FRAMES} frames, 3 faces (real photographs), audio`,
    ceilingFps: Math.round(ceilingFps * 10) / 10,
    redactionFps: m.timings.fps,
    detectMsPerDetectionFrame: Math.round((m.timings.detectMs / m.summary.detectionFrames) * 10) / 10,
    params: {
      every: DEFAULT_PARAMS.tracking.every,
      tileSize: DEFAULT_PARAMS.detector.tileSize,
      minScore: DEFAULT_PARAMS.detector.minScore,
    },
    recall720p: `${rHd.covered}/${rHd.faces} = ${(rHd.recall * 100).toFixed(1)}%`,
    recall360p: `${rSmall.covered}/${rSmall.faces} = ${(rSmall.recall * 100).toFixed(1)}%`,
    targets: { fps: 30, recall: 0.98 },
  };
  console.log(JSON.stringify(results, null, 2));
  console.log(
    `redaction ${results.redactionFps} fps (ceiling ${results.ceilingFps} fps) at 720p; recall ${results.recall720p} (720p), ${results.recall360p} (360p)`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
