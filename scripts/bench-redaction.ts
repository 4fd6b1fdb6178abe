// Redaction throughput and recall: `npm run bench:redaction`.
// Builds a 1280×720 30 fps clip from real photographs (test/helpers/footage.ts), measures ffmpeg
// decode → Node → encode alone (the ceiling), then the full pipeline; recall is the share of true
// face-frames whose face box is inside a blurred box, on the 720p clip and on the 640×360 test clip.
// Also the CPU time per frame of the whole process tree (Node, ffmpeg, the model processes), which does
// not depend on what else runs on the machine, and the load average: other work on shared cores
// lowers the fps figures, not the CPU figures.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import type { Box } from '../src/redaction/box.js';
import type { RedactionManifest } from '../src/redaction/manifest.js';
import { DEFAULT_PARAMS, FORMAT, redactClip } from '../src/redaction/redact.js';
import { Encoder, decodeFrames, probe } from '../src/redaction/video/ffmpeg.js';
import { renderClip, standardClip } from '../test/helpers/footage.js';

const FRAMES = Number(process.env.BENCH_FRAMES ?? 150);

/** CPU seconds used so far by this process and its finished children (Linux: /proc/self/stat). */
function cpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // After "pid (comm) ": state is field 3; cutime and cstime are fields 16 and 17, in clock ticks.
  const children = (Number(fields[16 - 3]) + Number(fields[17 - 3])) / 100;
  const self = process.cpuUsage();
  return children + (self.user + self.system) / 1e6;
}

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
  const enc = new Encoder(input, output, info, DEFAULT_PARAMS.encoder, FORMAT);
  const t = performance.now();
  let n = 0;
  for await (const [, frame] of decodeFrames(input, info, { format: FORMAT })) {
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

  const loadBefore = loadavg()[0]!;
  let cpu = cpuSeconds();
  const ceilingFps = await ceiling(hd, path.join(dir, 'ceiling.mp4'));
  const ceilingCpuMs = ((cpuSeconds() - cpu) * 1000) / FRAMES;
  cpu = cpuSeconds();
  const m = await redactClip(hd, path.join(dir, 'hd-out.mp4'));
  const redactionCpuMs = ((cpuSeconds() - cpu) * 1000) / FRAMES;
  const mSmall = await redactClip(small, path.join(dir, 'small-out.mp4'));
  const rHd = recall(truthHd, m);
  const rSmall = recall(truthSmall, mSmall);
  const results = {
    machine: `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    clip: `1280x720 30 fps, ${FRAMES} frames, 3 faces (real photographs), audio`,
    loadAverage1m: { before: loadBefore, after: loadavg()[0]! },
    ceilingFps: Math.round(ceilingFps * 10) / 10,
    redactionFps: m.timings.fps,
    cpuMsPerFrame: {
      ceiling: Math.round(ceilingCpuMs * 10) / 10,
      redaction: Math.round(redactionCpuMs * 10) / 10,
      note: 'all processes (Node, ffmpeg, model); includes loading the model',
    },
    /** Were the two cores free and the pipeline CPU-bound: the fps the CPU cost allows. */
    cpuBoundFpsOn2Cores: Math.round((2000 / redactionCpuMs) * 10) / 10,
    detectMsPerDetectionFrame: Math.round((m.timings.detectMs / m.summary.detectionFrames) * 10) / 10,
    params: {
      every: DEFAULT_PARAMS.tracking.every,
      tileStride: DEFAULT_PARAMS.detector.tileStride,
      pixelFormat: FORMAT,
      encoder: DEFAULT_PARAMS.encoder,
      tileSize: DEFAULT_PARAMS.detector.tileSize,
      minScore: DEFAULT_PARAMS.detector.minScore,
    },
    recall720p: `${rHd.covered}/${rHd.faces} = ${(rHd.recall * 100).toFixed(1)}%`,
    recall360p: `${rSmall.covered}/${rSmall.faces} = ${(rSmall.recall * 100).toFixed(1)}%`,
    targets: { fps: 30, recall: 0.98 },
  };
  console.log(JSON.stringify(results, null, 2));
  console.log(
    `redaction ${results.redactionFps} fps (ceiling ${results.ceilingFps} fps) at 720p, ${results.cpuMsPerFrame.redaction} CPU-ms/frame (load ${loadBefore.toFixed(1)}); recall ${results.recall720p} (720p), ${results.recall360p} (360p)`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
