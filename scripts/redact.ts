// Redacts one video file on the command line: `npm run redact -- <in> <out>`.
// For footage that did not come through a dock: the platform's own pipeline with the redaction
// worker's defaults (src/redaction/redact.ts), the manifest written beside the output as
// `<out>.manifest.json`, and a short summary (frames, faces and tracks, speed, whether a person must
// review it and why). Bad input fails with its reason and a non-zero exit, never a stack trace:
// 2 for usage, 1 when the file cannot be redacted.
import { access, constants, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RedactionInputError } from '../src/redaction/errors.js';
import { redactClip } from '../src/redaction/redact.js';
import { frameRate } from '../src/redaction/risk.js';

const USAGE = 'usage: npm run redact -- <input video> <output.mp4>';

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const args = argv.filter((a) => a !== '--');
  if (args.includes('-h') || args.includes('--help')) {
    console.log(USAGE);
    return;
  }
  if (args.length !== 2) throw new UsageError(`expected an input and an output file\n${USAGE}`);
  // npm runs scripts from the package's root; paths are meant from where the command was typed.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const [input, output] = args.map((a) => path.resolve(cwd, a)) as [string, string];
  if (input === output) throw new UsageError('the output must not be the input (the original is kept)');
  try {
    await access(input, constants.R_OK);
    if (!(await stat(input)).isFile()) throw new Error('not a file');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not a readable file';
    throw new RedactionInputError('unreadable-input', `cannot read ${args[0]}: ${why}`);
  }
  try {
    await access(path.dirname(output), constants.W_OK);
  } catch {
    throw new UsageError(`cannot write ${args[1]}: its directory does not exist or is not writable`);
  }

  const manifestFile = `${output}.manifest.json`;
  let manifest;
  try {
    manifest = await redactClip(input, output);
  } catch (err) {
    await rm(output, { force: true }); // no half-written copy that looks like a redaction
    throw err;
  }
  await writeFile(manifestFile, JSON.stringify(manifest, null, 2) + '\n');

  const { input: info, summary, timings, risk } = manifest;
  const lines = [
    `redacted   ${args[0]} → ${args[1]}`,
    `video      ${info.width}×${info.height}, ${info.frames} frames at ${Math.round(frameRate(info.frameRate) * 100) / 100} fps, audio ${info.hasAudio ? 'copied unchanged (not redacted)' : 'none'}`,
    `faces      ${summary.detections} detections on ${summary.detectionFrames} detection frames, ${summary.tracks} tracks; ${summary.framesWithBoxes} frames blurred`,
    `speed      ${timings.fps} fps (${(timings.totalMs / 1000).toFixed(1)} s)`,
    `manifest   ${args[1]}.manifest.json`,
    `review     ${risk.reviewRequired ? 'REQUIRED' : 'not required'}`,
    ...risk.reasons.map((r) => `  - ${r.code}: ${r.detail}`),
  ];
  console.log(lines.join('\n'));
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`redact: ${err.message}`);
      process.exit(2);
    }
    if (err instanceof RedactionInputError) {
      console.error(`redact: ${err.reason}: ${err.message}`);
    } else {
      // An operational failure (model missing, ffmpeg not installed…): its message, never a stack.
      console.error(`redact: failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    process.exit(1);
  },
);
