// Runs a simulated fleet over MQTT: one mqtt.js connection per device, telemetry spread evenly over
// each second by one scheduler (not one timer per device, which is what lets 10,000 devices share
// one process), events as they happen, docks obeying release-slot commands, cameras and docks
// playing firmware updates (firmware.ts), dropped connections.
import mqtt, { type MqttClient } from 'mqtt';
import {
  FirmwareUpdates,
  parseTrustedKeys,
  type FirmwareStats,
  type FwFailRates,
  type FwFailure,
  type UpdatingDevice,
} from './firmware.js';
import {
  applyDockChange,
  buildFleet,
  cameraTelemetry,
  dockTelemetry,
  fleetFromRegister,
  stepCamera,
  type Camera,
  type DockChange,
  type Fleet,
  type Outbound,
  type RegisterFleet,
} from './model.js';
import { deviceRng, rng } from './random.js';

export interface Credential {
  kind: 'camera' | 'dock';
  id: string;
  username: string;
  password: string;
}

export interface RunOptions {
  broker: string;
  cameras: number;
  docks: number;
  prefix: string;
  /** Drive these devices (the platform's register) instead of `cameras` × `docks` made up with `prefix`. */
  register?: RegisterFleet;
  /** Telemetry messages per device per second. */
  rate: number;
  seed: number;
  /** Simulated seconds per real second (60: a ten-hour shift in ten minutes). */
  speed: number;
  /** New connections per second while the fleet comes up. */
  connectRate: number;
  /** Share of shift starts where the officer badge-taps at the dock (self-allocation). */
  tapShare: number;
  /** Dropped connections per device per real hour. */
  dropsPerHour: number;
  credentials: Map<string, Credential>;
  log: (line: string) => void;
  /**
   * Simulated seconds per real second for firmware updates (default: `speed`, or 1 when that is
   * 0). Separate so a bench can keep shifts slow (officers stay out) while updates run fast.
   */
  fwSpeed?: number;
  /** Vendor public keys the devices trust: PEM text, one or more Ed25519 `PUBLIC KEY` blocks. */
  trustedKeys?: string;
  /** Share of devices failing their updates each way, drawn per device from `seed`. */
  fwFail?: FwFailRates;
  /**
   * Exact failures by device (`camera:SERIAL`, `dock:ID`), instead of the draw: one mode for every
   * update of that device, or a list, one per update in turn (past its end: `none`).
   */
  fwFailures?: Map<string, FwFailure | FwFailure[]>;
}

export interface SimStats {
  devices: number;
  connected: number;
  published: number;
  publishErrors: number;
  commands: number;
  drops: number;
  /** Connections that failed or were refused, and the last reason given. */
  connectErrors: number;
  lastConnectError: string | null;
  firmware: FirmwareStats;
}

interface Device {
  kind: 'camera' | 'dock';
  id: string;
  index: number;
  /** The connection, once it has announced itself online: what the device publishes on. */
  client: MqttClient | null;
  /** The current connection, connecting or up. */
  conn: MqttClient | null;
  lastSim: number;
  pendingTap: { camera: Camera; change: DockChange; deadline: number } | null;
  /** Switched off for a firmware reboot (or gone for good): no reconnecting. */
  down: boolean;
  /** Acks made while offline, sent when connected again (a device keeps its update's progress). */
  outbox: Array<Record<string, unknown>>;
  /** Just booted: reports telemetry as soon as it is connected (the new version, at once). */
  booted: boolean;
  /** Connection attempts in a row that never came up: each doubles the wait before the next. */
  failures: number;
}

const TICK_MS = 50;

/**
 * mqtt.js logs every step of every publish through `debug`, which costs even when switched off (it
 * gathers its arguments first): about 6% of the simulator's CPU at 10,000 messages a second. Its
 * own `log` option replaces it, unless DEBUG asks for it.
 */
const quiet = process.env.DEBUG ? {} : { log: () => undefined };

export interface RunningFleet {
  stats: () => SimStats;
  /** Changes the telemetry rate per device without reconnecting (the benchmark steps it). */
  setRate(hz: number): void;
  /** Which camera sits in which dock now (what a dock can offload). */
  docked(): Array<{ dock: string; camera: string }>;
  stop: () => Promise<void>;
}

export async function runFleet(opts: RunOptions): Promise<RunningFleet> {
  const fleet: Fleet = opts.register
    ? fleetFromRegister(opts.register, (i) => deviceRng(opts.seed, i))
    : buildFleet({
        cameras: opts.cameras,
        docks: opts.docks,
        prefix: opts.prefix,
        rngFor: (i) => deviceRng(opts.seed, i),
      });
  const chaos = rng(opts.seed ^ 0x5eed);
  const devices: Device[] = [
    ...fleet.docks.map((d, i) => ({ kind: 'dock' as const, id: d.id, index: i }) as Device),
    ...fleet.cameras.map((c, i) => ({ kind: 'camera' as const, id: c.serial, index: i }) as Device),
  ].map((d) => ({
    ...d,
    client: null,
    conn: null,
    lastSim: 0,
    pendingTap: null,
    down: false,
    outbox: [],
    booted: false,
    failures: 0,
  }));
  const dockDevice = new Map(devices.filter((d) => d.kind === 'dock').map((d) => [d.id, d]));
  const stats: Omit<SimStats, 'firmware'> = {
    devices: devices.length,
    connected: 0,
    published: 0,
    publishErrors: 0,
    commands: 0,
    drops: 0,
    connectErrors: 0,
    lastConnectError: null,
  };
  let stopping = false;
  const stopped = new AbortController();
  const trustedKeys = parseTrustedKeys(opts.trustedKeys ?? '');
  const firmware = new FirmwareUpdates({
    trustedKeys,
    speed: opts.fwSpeed ?? (opts.speed > 0 ? opts.speed : 1),
    seed: opts.seed,
    rates: opts.fwFail ?? {},
    exact: opts.fwFailures ?? new Map<string, FwFailure | FwFailure[]>(),
    signal: stopped.signal,
    log: opts.log,
  });
  const started = Date.now();
  const simNow = () => ((Date.now() - started) / 1000) * opts.speed;

  const topic = (d: Device, channel: string) =>
    `bwv/v1/${d.kind === 'camera' ? 'cameras' : 'docks'}/${d.id}/${channel}`;
  const send = (d: Device, m: Outbound) => {
    if (!d.client?.connected) return;
    d.client.publish(
      topic(d, m.channel),
      JSON.stringify(m.payload),
      { qos: m.channel === 'telemetry' ? 0 : 1 },
      (err) => {
        if (err) stats.publishErrors++;
      },
    );
    stats.published++;
  };

  function connect(d: Device) {
    const cred = opts.credentials.get(`${d.kind}:${d.id}`);
    if (!cred) throw new Error(`no credentials for ${d.kind}:${d.id}`);
    const client = mqtt.connect(opts.broker, {
      username: cred.username,
      password: cred.password,
      clientId: cred.username,
      keepalive: 60,
      reconnectPeriod: 0,
      connectTimeout: 30_000,
      clean: true,
      will: { topic: topic(d, 'status'), payload: Buffer.from('{"online":false}'), qos: 1, retain: true },
      ...quiet,
    });
    d.conn = client;
    client.on('connect', () => {
      stats.connected++;
      // Subscribed before announcing itself: a command sent on seeing it online is not lost. It
      // publishes nothing before that announcement.
      client.subscribe(topic(d, 'commands'), { qos: 1 }, () => {
        if (d.conn !== client) return;
        d.client = client;
        client.publish(topic(d, 'status'), '{"online":true}', { qos: 1, retain: true });
        for (const payload of d.outbox.splice(0)) send(d, { channel: 'acks', payload });
        if (d.booted) {
          d.booted = false;
          send(d, telemetryOf(d, Date.now()));
        }
      });
    });
    client.on('message', (_t, payload) => onCommand(d, payload));
    // 'close' follows; reconnect is ours to schedule.
    client.on('error', (err) => {
      stats.connectErrors++;
      stats.lastConnectError = err.message;
    });
    let up = false;
    client.on('connect', () => {
      up = true;
      d.failures = 0;
    });
    client.on('close', () => {
      if (up) stats.connected--;
      else d.failures++;
      up = false;
      if (d.conn !== client) return;
      d.conn = null;
      d.client = null;
      if (stopping || d.down) return;
      client.end(true);
      // 1–10 s after a drop (spread, so a broker restart is not met by every device at once);
      // doubling with each attempt that never came up, to 5 minutes: a broker that is not there is
      // not knocked on every second for ever.
      const wait = Math.min((1_000 + chaos() * 9_000) * 2 ** Math.min(d.failures, 8), 300_000);
      setTimeout(() => !stopping && !d.down && !d.conn && connect(d), wait).unref();
    });
  }

  const telemetryOf = (d: Device, now: number) =>
    d.kind === 'dock'
      ? dockTelemetry(fleet.dockById.get(d.id)!, fleet, now)
      : cameraTelemetry(fleet.byId.get(d.id)!, now);

  /** The device as a firmware update drives it. */
  function updating(d: Device, cred: Credential): UpdatingDevice {
    const model = d.kind === 'dock' ? fleet.dockById.get(d.id)! : fleet.byId.get(d.id)!;
    return {
      key: `${d.kind}:${d.id}`,
      username: cred.username,
      password: cred.password,
      ack(payload) {
        if (d.client?.connected) send(d, { channel: 'acks', payload });
        else if (d.outbox.length < 50) d.outbox.push(payload);
      },
      async powerOff() {
        d.down = true;
        const c = d.conn;
        d.conn = null; // from here on its telemetry goes nowhere, and 'close' reconnects nothing
        d.client = null;
        if (!c) return;
        // A clean DISCONNECT discards the will, so the device says it is going itself.
        if (c.connected)
          await c
            .publishAsync(topic(d, 'status'), '{"online":false}', { qos: 1, retain: true })
            .catch(() => undefined);
        await c.endAsync().catch(() => undefined);
      },
      powerOn(version) {
        model.firmware = version;
        d.down = false;
        d.booted = true;
        if (!stopping) connect(d);
      },
      version: () => model.firmware,
    };
  }

  function onCommand(d: Device, payload: Buffer) {
    stats.commands++;
    let cmd: { commandId?: string; type?: string; slot?: number; camera?: string; officer?: string };
    try {
      cmd = JSON.parse(payload.toString()) as typeof cmd;
    } catch {
      return;
    }
    if (typeof cmd !== 'object' || cmd === null) return;
    if (cmd.type === 'firmware-update') {
      const cam = d.kind === 'camera' ? fleet.byId.get(d.id)! : null;
      const unavailable = cam !== null && (cam.dock === null || cam.officer !== null || cam.recording);
      firmware.receive(updating(d, opts.credentials.get(`${d.kind}:${d.id}`)!), cmd, unavailable);
      return;
    }
    const dock = fleet.dockById.get(d.id);
    let ok = d.kind === 'camera' && cmd.type === 'locate'; // it beeps
    if (dock && cmd.type === 'release_slot' && typeof cmd.slot === 'number') {
      const serial = dock.slots[cmd.slot];
      const camera = serial ? fleet.byId.get(serial) : undefined;
      if (camera && serial === cmd.camera) {
        const moved = applyDockChange(
          { type: 'leave', camera, dock, slot: cmd.slot },
          cmd.officer ?? null,
          Date.now(),
        );
        send(
          devices.find((x) => x.kind === 'camera' && x.id === serial)!,
          moved.camera,
        );
        send(d, moved.dock);
        ok = true;
      }
      d.pendingTap = null;
    }
    if (cmd.type === 'deny') d.pendingTap = null;
    if (cmd.commandId)
      send(d, { channel: 'acks', payload: { ts: new Date().toISOString(), commandId: cmd.commandId, ok } });
  }

  const cameraDevices = new Map(devices.filter((d) => d.kind === 'camera').map((d) => [d.id, d]));

  function step(d: Device) {
    const now = Date.now();
    const simT = simNow();
    const dt = Math.max(0, simT - d.lastSim);
    d.lastSim = simT;
    if (d.kind === 'dock') {
      const dock = fleet.dockById.get(d.id)!;
      if (d.pendingTap && now > d.pendingTap.deadline) {
        // No release command in time: the officer goes to the stores counter instead.
        finishLeave(d.pendingTap.change, d.pendingTap.camera.officer ?? `O${d.pendingTap.camera.serial}`);
        d.pendingTap = null;
      }
      send(d, dockTelemetry(dock, fleet, now));
      return;
    }
    const c = fleet.byId.get(d.id)!;
    const out = stepCamera(c, fleet, simT, dt, now);
    for (const e of out.events) send(d, e);
    if (out.change) finishLeave(out.change, null);
    if (out.shiftStarted && c.dock) {
      const dockDev = dockDevice.get(c.dock.id)!;
      const officer = `O${String(d.index + 1).padStart(5, '0')}`;
      const change: DockChange = {
        type: 'leave',
        camera: c,
        dock: fleet.dockById.get(c.dock.id)!,
        slot: c.dock.slot,
      };
      if (!dockDev.pendingTap && chaos() < opts.tapShare) {
        dockDev.pendingTap = { camera: c, change, deadline: now + 10_000 };
        c.officer = officer;
        send(dockDev, {
          channel: 'events',
          payload: { ts: new Date(now).toISOString(), type: 'badge_tap', officer },
        });
      } else if (!dockDev.pendingTap) {
        finishLeave(change, officer);
      }
    }
    send(d, cameraTelemetry(c, now));
    if (chaos() < (opts.dropsPerHour / 3600) * (1 / opts.rate) && d.client?.connected) {
      stats.drops++;
      d.client.stream.destroy(); // an unclean loss: the broker publishes the will
    }
  }

  function finishLeave(change: DockChange, officer: string | null) {
    const moved = applyDockChange(change, officer, Date.now());
    const cam = cameraDevices.get(change.camera.serial)!;
    send(cam, moved.camera);
    send(dockDevice.get(change.dock.id)!, moved.dock);
  }

  // Bring the fleet up at connectRate per second.
  let next = 0;
  await new Promise<void>((resolve) => {
    const ramp = setInterval(() => {
      const n = Math.ceil(opts.connectRate / 10);
      for (let i = 0; i < n && next < devices.length; i++) connect(devices[next++]!);
      if (next >= devices.length) {
        clearInterval(ramp);
        resolve();
      }
    }, 100);
  });
  opts.log(`connecting ${devices.length} devices to ${opts.broker}`);

  let due = 0;
  let ptr = 0;
  let last = performance.now();
  const scheduler = setInterval(() => {
    // By the time that really passed: on a busy machine ticks come late, and counting TICK_MS per
    // tick offered 9,800 msg/s when 10,800 were asked for. Capped at a second's worth, so a long
    // stall (a suspended process) does not make every device send twice at once.
    const now = performance.now();
    due = Math.min(due + (opts.rate * devices.length * (now - last)) / 1000, opts.rate * devices.length);
    last = now;
    while (due >= 1) {
      due--;
      step(devices[ptr]!);
      ptr = (ptr + 1) % devices.length;
    }
  }, TICK_MS);

  if (trustedKeys.length === 0) opts.log('no trusted firmware keys: every update will fail verification');

  return {
    stats: () => ({ ...stats, firmware: firmware.stats() }),
    setRate(hz: number) {
      opts.rate = hz;
    },
    docked: () =>
      fleet.docks.flatMap((d) => d.slots.flatMap((camera) => (camera ? [{ dock: d.id, camera }] : []))),
    async stop() {
      stopping = true;
      stopped.abort();
      clearInterval(scheduler);
      await Promise.all(
        devices.map(async (d) => {
          const c = d.conn;
          if (!c) return;
          if (c.connected)
            await c
              .publishAsync(topic(d, 'status'), '{"online":false}', { qos: 1, retain: true })
              .catch(() => undefined);
          await c.endAsync().catch(() => undefined);
        }),
      );
    },
  };
}
