// The device side of a firmware update, as a simulated camera or dock plays it (`firmware-update`
// command, src/bus/topics.ts): download the artifact over HTTP as itself (Basic, resuming with
// Range after an interruption), check size and SHA-256, verify the vendor's Ed25519 signature with
// the keys it trusts, install, reboot, come back on the new version, acking each step on `…/acks`.
// Each step takes a realistic simulated time divided by the firmware speed, on timers of the
// updating device only: the telemetry scheduler never sees an update. Failures are injected on
// request, per device, reproducibly from the seed.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { rng } from './random.js';

/** What an update may be told to do wrong: see `--fw-fail` (main.ts). */
export const FW_FAIL_MODES = ['corrupt', 'install', 'vanish', 'old-version'] as const;
export type FwFailMode = (typeof FW_FAIL_MODES)[number];
/** Share of devices failing each way, 0–1 each, summing to at most 1. */
export type FwFailRates = Partial<Record<FwFailMode, number>>;
/** An exact failure for a device: `none` succeeds. */
export type FwFailure = FwFailMode | 'none';

/** Simulated time of each step: a camera on a dock's link, a flash write, a boot. */
export const FW_TIMES = { bytesPerSecond: 2_000_000, verifyS: 5, installS: 60, rebootS: 30 } as const;

/** Download attempts (the first and its resumptions) before the device gives up. */
const DOWNLOAD_TRIES = 6;

export interface FirmwareStats {
  /** firmware-update commands received, redeliveries included. */
  commands: number;
  /** The same commandId again: ignored. */
  redelivered: number;
  /** A new command while an update was running: refused (ok:false, transient). */
  busy: number;
  malformed: number;
  /**
   * Commands received by a camera that was undocked, issued to an officer or recording at the time
   * (the platform must send none; a bench asserts 0). The camera still obeys, as a real one would.
   */
  issuedCommanded: number;
  started: number;
  inProgress: number;
  /** Rebooted into the commanded version. */
  succeeded: number;
  /**
   * Updates that ended otherwise, by cause: the four injected modes, a download the server refused
   * or that broke off for good, a genuine size/hash/signature mismatch (`verify`).
   */
  failed: Record<FwFailMode | 'download' | 'verify', number>;
}

export interface FirmwareUpdate {
  commandId: string;
  version: string;
  url: string;
  size: number;
  sha256: string;
  signature: string;
}

/** The fields a device needs, checked as a device would before acting; null if any is unusable. */
export function asFirmwareUpdate(cmd: Record<string, unknown>): FirmwareUpdate | null {
  const { commandId, version, url, size, sha256, signature } = cmd;
  if (typeof commandId !== 'string' || commandId === '') return null;
  if (typeof version !== 'string' || version === '') return null;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return null;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size <= 0) return null;
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) return null;
  if (typeof signature !== 'string' || signature === '') return null;
  return { commandId, version, url, size, sha256, signature };
}

/**
 * `corrupt=0.02,install=0.01,vanish=0.01,old-version=0.01` → rates. Throws with a message naming
 * the mistake (an unknown mode, a share outside 0–1, shares summing above 1).
 */
export function parseFwFail(spec: string): FwFailRates {
  const rates: FwFailRates = {};
  for (const part of spec.split(',').map((p) => p.trim())) {
    if (part === '') continue;
    const [name, value, ...rest] = part.split('=');
    const mode = FW_FAIL_MODES.find((m) => m === name);
    if (!mode) throw new Error(`--fw-fail: unknown mode "${name}" (${FW_FAIL_MODES.join(', ')})`);
    const n = Number(value);
    if (rest.length > 0 || value === undefined || value.trim() === '' || !(n >= 0 && n <= 1))
      throw new Error(`--fw-fail: ${mode} must be a share between 0 and 1 (got "${value ?? ''}")`);
    rates[mode] = n;
  }
  const total = Object.values(rates).reduce((a, b) => a + b, 0);
  if (total > 1) throw new Error(`--fw-fail: the shares add up to ${total}, more than 1`);
  return rates;
}

/** FNV-1a: a device's own stream from its id, whatever its place in the fleet. */
function hashKey(key: string) {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The failure a device is drawn for, the same for every update of that device and every run with
 * the same seed (a faulty unit stays faulty: a `corrupt` device corrupts each retry too).
 */
export function drawFailure(seed: number, key: string, rates: FwFailRates): FwFailMode | null {
  const r = rng((hashKey(key) ^ Math.imul(seed, 0x9e3779b1) ^ 0xf1a5) >>> 0)();
  let edge = 0;
  for (const mode of FW_FAIL_MODES) {
    edge += rates[mode] ?? 0;
    if (r < edge) return mode;
  }
  return null;
}

/**
 * The Ed25519 public keys in a PEM text (several `PUBLIC KEY` blocks for key rotation). Throws on a
 * block that is not a key; keys of other types are skipped (a device verifies Ed25519 only).
 */
export function parseTrustedKeys(pem: string): KeyObject[] {
  const blocks = pem.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? [];
  return blocks.map((b) => createPublicKey(b)).filter((k) => k.asymmetricKeyType === 'ed25519');
}

/**
 * Signature checks shared by the fleet's devices. Ed25519 verifies the whole message at once, so
 * the bytes must be held; a thousand cameras holding the same artifact would hold it a thousand
 * times. So one download per (sha256, signature) keeps its bytes and checks; the others hash what
 * they receive and take its verdict once their own hash matches (same SHA-256, same bytes).
 */
class SignatureChecks {
  private verdicts = new Map<string, boolean>();
  private keepers = new Map<string, (v: boolean | null) => void>();
  private pending = new Map<string, Promise<boolean | null>>();
  constructor(private keys: KeyObject[]) {}

  /** Whether this download should keep its bytes: no verdict yet, and no other download keeping. */
  claim(key: string): boolean {
    if (this.verdicts.has(key) || this.keepers.has(key)) return false;
    this.pending.set(key, new Promise((resolve) => this.keepers.set(key, resolve)));
    return true;
  }

  /** The keeper checks the bytes; the verdict is remembered for the others. */
  check(key: string, bytes: Buffer, signature: string): boolean {
    const sig = Buffer.from(signature, 'base64');
    const ok = this.keys.some((k) => {
      try {
        return verify(null, bytes, k, sig);
      } catch {
        return false;
      }
    });
    this.verdicts.set(key, ok);
    this.settle(key, ok);
    return ok;
  }

  /** The keeper could not check (its download failed or was corrupted). */
  release(key: string) {
    this.settle(key, null);
  }

  /** The verdict, when the keeper gives one; null when nobody can (then keep the bytes yourself). */
  async verdict(key: string): Promise<boolean | null> {
    return this.verdicts.get(key) ?? (await this.pending.get(key)) ?? null;
  }

  private settle(key: string, v: boolean | null) {
    this.keepers.get(key)?.(v);
    this.keepers.delete(key);
    this.pending.delete(key);
  }
}

type Transfer =
  { ok: false; detail: string } | { ok: true; received: number; sha256: string; bytes: Buffer | null };

interface TransferRequest {
  url: string;
  username: string;
  password: string;
  size: number;
  /** Real bytes per second at most (the simulated link speed times the firmware speed). */
  bytesPerSecond: number;
  keep: boolean;
  corrupt: boolean;
  /** Each quarter received (25, 50, 75). */
  onProgress?: (percent: number) => void;
  /** Real milliseconds before a resumption (times the attempt). */
  retryMs: number;
  signal: AbortSignal;
}

function get(url: URL, headers: Record<string, string>, signal: AbortSignal) {
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).get(url, { headers, signal }, resolve);
    req.once('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('no answer for 30 s')));
  });
}

/**
 * Downloads the artifact as the device: HTTP Basic with its credentials; after an interruption it
 * asks for the rest (`Range: bytes=N-`, `If-Range` with the ETag) and starts over if the server
 * sends the whole file instead. Hashes while receiving; never reads more than `size` + one chunk.
 */
export async function fetchArtifact(t: TransferRequest): Promise<Transfer> {
  const url = new URL(t.url);
  const auth = `Basic ${Buffer.from(`${t.username}:${t.password}`).toString('base64')}`;
  let hash = createHash('sha256');
  let chunks: Buffer[] = [];
  let received = 0;
  let corrupted = false;
  let etag: string | undefined;
  let quarter = 0;
  let lastProblem = '';
  const restart = () => {
    hash = createHash('sha256');
    chunks = [];
    received = 0;
    corrupted = false;
  };
  for (let attempt = 1; attempt <= DOWNLOAD_TRIES; attempt++) {
    if (attempt > 1) await sleep(t.retryMs * (attempt - 1), undefined, { signal: t.signal });
    const headers: Record<string, string> = { authorization: auth };
    if (received > 0) {
      headers.range = `bytes=${received}-`;
      if (etag) headers['if-range'] = etag;
    }
    let res: IncomingMessage;
    try {
      res = await get(url, headers, t.signal);
    } catch (err) {
      if (t.signal.aborted) throw err;
      lastProblem = (err as Error).message;
      continue;
    }
    const status = res.statusCode ?? 0;
    if (status === 206) {
      const from = /^bytes (\d+)-/.exec(res.headers['content-range'] ?? '');
      if (!from || Number(from[1]) !== received) {
        res.resume();
        restart(); // not the part asked for: fetch the whole file again
        lastProblem = 'unexpected Content-Range';
        continue;
      }
    } else if (status === 200) {
      if (received > 0) restart(); // the server ignored the Range (or the file changed)
    } else {
      res.resume();
      lastProblem = `HTTP ${status}`;
      if (status >= 500 || status === 429) continue;
      return { ok: false, detail: `download refused: HTTP ${status}` };
    }
    if (typeof res.headers.etag === 'string') etag = res.headers.etag;
    const started = performance.now();
    const base = received;
    try {
      for await (const chunk of res as AsyncIterable<Buffer>) {
        let c = chunk;
        if (t.corrupt && !corrupted) {
          c = Buffer.from(c); // a flipped bit on the way: the hash tells
          c[0] = c[0]! ^ 0x01;
          corrupted = true;
        }
        hash.update(c);
        if (t.keep) chunks.push(c);
        received += c.length;
        if (received > t.size) break; // more than announced: no use reading on
        const q = Math.min(3, Math.floor((received * 4) / t.size));
        if (q > quarter) {
          quarter = q;
          t.onProgress?.(q * 25);
        }
        const ahead = started + ((received - base) / t.bytesPerSecond) * 1000 - performance.now();
        if (ahead > 5) await sleep(ahead, undefined, { signal: t.signal });
      }
    } catch (err) {
      if (t.signal.aborted) throw err;
      lastProblem = (err as Error).message;
      continue; // broke off: resume
    }
    if (received > t.size || res.complete) {
      res.destroy();
      return {
        ok: true,
        received,
        sha256: hash.digest('hex'),
        bytes: t.keep ? Buffer.concat(chunks) : null,
      };
    }
    lastProblem = 'connection closed early';
  }
  return { ok: false, detail: `download failed after ${DOWNLOAD_TRIES} tries: ${lastProblem}` };
}

/** What the runner does for one device in an update. */
export interface UpdatingDevice {
  /** `camera:SERIAL` or `dock:ID`. */
  key: string;
  username: string;
  password: string;
  /** Publishes an ack (held while the device is offline, sent when it is back). */
  ack(payload: Record<string, unknown>): void;
  /** Status offline, a clean disconnect; the device stays away until powerOn. */
  powerOff(): Promise<void>;
  /** Boots into `version` and connects again. */
  powerOn(version: string): void;
  version(): string;
}

export interface FirmwareOptions {
  trustedKeys: KeyObject[];
  /** Simulated seconds per real second. */
  speed: number;
  seed: number;
  rates: FwFailRates;
  exact: Map<string, FwFailure | FwFailure[]>;
  signal: AbortSignal;
  log: (line: string) => void;
}

export class FirmwareUpdates {
  private readonly counters: FirmwareStats = {
    commands: 0,
    redelivered: 0,
    busy: 0,
    malformed: 0,
    issuedCommanded: 0,
    started: 0,
    inProgress: 0,
    succeeded: 0,
    failed: { corrupt: 0, install: 0, vanish: 0, 'old-version': 0, download: 0, verify: 0 },
  };
  /** Command ids each device has acted on (a device remembers them across reboots). */
  private seen = new Map<string, Set<string>>();
  private updates = new Map<string, number>();
  private running = new Set<string>();
  private drawn = new Map<string, FwFailMode | null>();
  private signatures: SignatureChecks;

  constructor(private opts: FirmwareOptions) {
    this.signatures = new SignatureChecks(opts.trustedKeys);
    // Every wait and download of every updating device listens to the fleet's one stop signal.
    setMaxListeners(0, opts.signal);
  }

  stats(): FirmwareStats {
    return { ...this.counters, failed: { ...this.counters.failed } };
  }

  /**
   * A `firmware-update` command reached the device. `unavailable`: a camera off its dock, issued or
   * recording (counted; it obeys all the same). Returns at once; the update runs on its own timers.
   */
  receive(dev: UpdatingDevice, raw: Record<string, unknown>, unavailable: boolean) {
    const c = this.counters;
    c.commands++;
    if (unavailable) c.issuedCommanded++;
    const cmd = asFirmwareUpdate(raw);
    const ts = () => new Date().toISOString();
    if (!cmd) {
      c.malformed++;
      if (typeof raw.commandId === 'string' && raw.commandId !== '')
        dev.ack({ ts: ts(), commandId: raw.commandId, ok: false, detail: 'malformed firmware-update' });
      return;
    }
    let seen = this.seen.get(dev.key);
    if (!seen) this.seen.set(dev.key, (seen = new Set()));
    if (seen.has(cmd.commandId)) {
      c.redelivered++; // QoS 1 may deliver twice: the update it started carries on
      return;
    }
    seen.add(cmd.commandId);
    if (this.running.has(dev.key)) {
      c.busy++;
      dev.ack({
        ts: ts(),
        commandId: cmd.commandId,
        ok: false,
        stage: 'downloading',
        detail: 'busy: another update is in progress',
      });
      return;
    }
    const n = this.updates.get(dev.key) ?? 0;
    this.updates.set(dev.key, n + 1);
    this.running.add(dev.key);
    c.started++;
    c.inProgress++;
    this.play(dev, cmd, this.failureFor(dev.key, n))
      .catch((err: Error) => {
        if (!this.opts.signal.aborted) this.opts.log(`firmware update of ${dev.key} stopped: ${err.message}`);
      })
      .finally(() => {
        this.running.delete(dev.key);
        c.inProgress--;
      });
  }

  private failureFor(key: string, n: number): FwFailMode | null {
    const exact = this.opts.exact.get(key);
    if (exact !== undefined) {
      const m = Array.isArray(exact) ? exact[n] : exact;
      return m === undefined || m === 'none' ? null : m;
    }
    if (!this.drawn.has(key)) this.drawn.set(key, drawFailure(this.opts.seed, key, this.opts.rates));
    return this.drawn.get(key)!;
  }

  /** Waits `s` simulated seconds. */
  private wait(s: number) {
    return sleep((s * 1000) / this.opts.speed, undefined, { signal: this.opts.signal });
  }

  private async play(dev: UpdatingDevice, cmd: FirmwareUpdate, mode: FwFailMode | null) {
    const ack = (fields: Record<string, unknown>) =>
      dev.ack({ ts: new Date().toISOString(), commandId: cmd.commandId, ok: true, ...fields });
    const fail = (stage: string, detail: string, cause: keyof FirmwareStats['failed']) => {
      ack({ ok: false, stage, detail });
      this.counters.failed[cause]++;
    };

    ack({ stage: 'downloading', progress: 0 });
    const got = await this.download(dev, cmd, mode === 'corrupt', (progress) =>
      ack({ stage: 'downloading', progress }),
    );
    if (!got.ok) return fail('downloading', got.detail, 'download');
    ack({ stage: 'downloaded' });
    ack({ stage: 'verifying' });
    await this.wait(FW_TIMES.verifyS);
    if (got.problem) return fail('verifying', got.problem, mode === 'corrupt' ? 'corrupt' : 'verify');
    ack({ stage: 'installing' });
    await this.wait(FW_TIMES.installS);
    if (mode === 'install') return fail('installing', 'install failed: the image did not flash', 'install');
    ack({ stage: 'rebooting' });
    await dev.powerOff();
    await this.wait(FW_TIMES.rebootS);
    if (mode === 'vanish') {
      this.counters.failed.vanish++; // stays away for good
      return;
    }
    if (mode === 'old-version') {
      this.counters.failed['old-version']++; // the new image did not boot: back on the old one
      dev.powerOn(dev.version());
      return;
    }
    dev.powerOn(cmd.version);
    this.counters.succeeded++;
  }

  /** Downloads and checks the artifact: ok with the problem found (null: good), or not ok. */
  private async download(
    dev: UpdatingDevice,
    cmd: FirmwareUpdate,
    corrupt: boolean,
    onProgress: (percent: number) => void,
  ): Promise<{ ok: false; detail: string } | { ok: true; problem: string | null }> {
    const key = `${cmd.sha256}|${cmd.signature}`;
    // Rarely more than once: when the download keeping the bytes failed, another keeps them.
    for (let pass = 0; pass < 3; pass++) {
      const keep = !corrupt && this.signatures.claim(key);
      let got: Transfer;
      try {
        got = await fetchArtifact({
          url: cmd.url,
          username: dev.username,
          password: dev.password,
          size: cmd.size,
          bytesPerSecond: FW_TIMES.bytesPerSecond * this.opts.speed,
          keep,
          corrupt,
          ...(pass === 0 && { onProgress }),
          retryMs: 5_000 / this.opts.speed,
          signal: this.opts.signal,
        });
      } catch (err) {
        if (keep) this.signatures.release(key);
        throw err;
      }
      if (!got.ok || got.received !== cmd.size || got.sha256 !== cmd.sha256) {
        if (keep) this.signatures.release(key);
        if (!got.ok) return got;
        if (got.received !== cmd.size)
          return { ok: true, problem: `size mismatch: ${got.received} bytes, expected ${cmd.size}` };
        return { ok: true, problem: 'sha256 mismatch' };
      }
      const valid = got.bytes
        ? this.signatures.check(key, got.bytes, cmd.signature)
        : await this.signatures.verdict(key);
      if (valid === null) continue;
      if (this.opts.trustedKeys.length === 0) return { ok: true, problem: 'no trusted keys installed' };
      return { ok: true, problem: valid ? null : 'signature not valid for any trusted key' };
    }
    return { ok: true, problem: 'signature could not be checked' };
  }
}
