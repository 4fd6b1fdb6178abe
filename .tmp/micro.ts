import { decode } from '../src/bus/topics.js';
const N = 200_000;
const msgs: Buffer[] = [];
for (let i = 0; i < 1000; i++)
  msgs.push(Buffer.from(JSON.stringify({ ts: new Date().toISOString(), battery: 50 + (i % 50), charging: false, storageUsedMb: 1000 + i, storageTotalMb: 64000, firmware: 'c-2.1.0', recording: i % 3 === 0, dock: i % 2 ? { id: 'SIMD0001', slot: 3 } : null, assignedTo: i % 4 ? 'PC1234' : null })));
const lim = { maxAgeMs: 3600_000, maxSkewMs: 60_000 };
for (let r = 0; r < 3; r++) {
  const t0 = process.hrtime.bigint();
  let ok = 0;
  for (let i = 0; i < N; i++) if (decode(`bwv/v1/cameras/SIMC${i % 1000}/telemetry`, msgs[i % 1000]!, Date.now(), lim).ok) ok++;
  const us = Number(process.hrtime.bigint() - t0) / 1000 / N;
  console.log(`decode ${us.toFixed(2)} µs/msg ok=${ok}`);
}
