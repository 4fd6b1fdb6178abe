// Configuration: the environment parsed once with zod at start-up, then frozen.
// Nothing else in src/ reads process.env.
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { passwordWeakness } from './shared/password-policy.js';

const port = z.coerce.number().int().min(0).max(65535);
const optional = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));
/** Express's names for address ranges, accepted beside addresses and CIDRs. */
const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const isProxyAddress = (entry: string) => {
  if (PROXY_RANGES.has(entry)) return true;
  const [addr = '', bits, ...rest] = entry.split('/');
  const family = isIP(addr);
  if (!family || rest.length) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
};
/**
 * Which proxies may tell us the client's address (X-Forwarded-For) and protocol: none, a hop
 * count, or the proxies' addresses/CIDRs (Express's `trust proxy` forms). `true` would trust every
 * hop, so a client could name any address it liked and dodge the per-address login limit.
 */
const TrustProxy = z
  .string()
  .default('')
  .transform((v, ctx): false | number | string[] => {
    const value = v.trim().toLowerCase();
    if (value === '' || value === 'false' || value === '0') return false;
    if (value === 'true') {
      ctx.addIssue({
        code: 'custom',
        message:
          'true would trust every hop, so clients could forge their address; set the number of proxies in front (e.g. 1) or their addresses/CIDRs (e.g. 127.0.0.1,10.0.0.0/8)',
      });
      return z.NEVER;
    }
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value.split(',').map((x) => x.trim());
    const bad = entries.filter((x) => !isProxyAddress(x));
    if (bad.length) {
      ctx.addIssue({
        code: 'custom',
        message: `not a hop count or proxy addresses/CIDRs: ${bad.join(', ')}`,
      });
      return z.NEVER;
    }
    return entries;
  });

/** A listener that is off unless its port is set. */
const optionalPort = optional.pipe(z.coerce.number<string>().int().min(0).max(65535).optional());

const Env = z.object({
  PORT: port.default(3000),
  HOST: z.string().default('0.0.0.0'),
  MQTT_PORT: port.default(1883),
  DATA_DIR: z.string().default('./data'),
  MONGODB_URI: optional.pipe(z.url({ protocol: /^mongodb(\+srv)?$/ }).optional()),
  /** Database name; the URI's own path wins when it names one. */
  MONGODB_DB: z
    .string()
    .regex(/^[\w-]+$/)
    .default('bwv'),
  /**
   * The embedded FerretDB's SQLite `synchronous` (without MONGODB_URI): `normal` keeps every
   * commit through a crash of the process, `full` also through a power cut, at an fsync per write
   * (docs/database.md, docs/performance.md).
   */
  EMBEDDED_DB_SYNCHRONOUS: z.enum(['normal', 'full']).default('normal'),
  BWV_ADMIN_PASSWORD: optional.pipe(z.string().min(12, 'must be at least 12 characters').optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Set when a TLS-terminating proxy sits in front: cookies become Secure, client IPs come from it. */
  TRUST_PROXY: TrustProxy,
  /**
   * Failed logins from one client address (on any account) within an hour before each further
   * attempt from it must wait (1 s, doubling per failure). Generous: a station shares one address.
   */
  LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(100),
  /** Failed logins on one account (from any address) within an hour before each further one waits. */
  LOGIN_ACCOUNT_LIMIT: z.coerce.number().int().positive().default(5),
  /** The longest a login must wait after repeated failures (seconds). */
  LOGIN_MAX_DELAY_S: z.coerce.number().int().min(1).max(3600).default(900),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  /**
   * How long an API process reuses two records it reads on nearly every request: who a session or
   * token belongs to, and a camera's register entry shown by GET /cameras/:serial. Changes made
   * through this process apply at once; a role change, disabled user, revoked token or camera
   * change made through another API process applies within this many seconds. Decisions
   * (check-out, check-in, repairs) always read the database. 0 turns it off.
   */
  READ_CACHE_SECONDS: z.coerce.number().min(0).max(60).default(5),
  JSON_BODY_LIMIT: z.string().default('100kb'),
  /** Largest clip a dock may offload, in bytes (default 4 GiB). */
  CLIP_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(4 * 1024 ** 3),
  /** `in-process` runs the redaction worker inside the platform; `off` leaves it to `--role redaction` processes. */
  REDACTION_WORKER: z.enum(['in-process', 'off']).default('in-process'),
  /** A redaction job whose worker stops touching it for this long is taken over by another. */
  REDACTION_LOCK_LIFETIME_MS: z.coerce.number().int().min(1000).default(60_000),
  /** How often a redaction worker queues offloaded clips that have no job (a missed bus message). */
  REDACTION_SWEEP_S: z.coerce.number().positive().default(60),
  /**
   * How often a process looks for due jobs it did not queue itself: other processes' (a redaction
   * clip heard elsewhere), retries, repeating jobs. Jobs it queues for now start at once.
   */
  JOBS_POLL_MS: z.coerce.number().int().min(100).default(2_000),
  /** Window over which device changes are coalesced into one Socket.IO diff per client. */
  LIVE_WINDOW_MS: z.coerce.number().int().min(10).max(5000).default(250),
  /**
   * Window over which a device's readings (battery, storage…) are coalesced for the screens that
   * show it (issue 19). Devices report about once a second, so the window bounds the messages a
   * client gets, not the bytes; at 1000 ms the live-update latency's p99 came near its 1.5 s target.
   */
  LIVE_VIEW_WINDOW_MS: z.coerce.number().int().min(10).max(5000).default(500),
  /**
   * How often the fleet overview's copy of the register is read whole again. Writes (this process's
   * and, through the event spine, other API processes') show at once; this catches events lost.
   */
  DASHBOARD_REGISTER_REFRESH_S: z.coerce.number().positive().default(60),
  /** How often watched readiness boards are recomputed even when nothing pushed a change. */
  READINESS_REFRESH_S: z.coerce.number().positive().default(5),
  /** Least span of battery history (seconds) from which readiness estimates the drain. */
  READINESS_DRAIN_MIN_SPAN_S: z.coerce.number().positive().default(120),
  /**
   * Gone: blocked firmware versions are data now (PUT /api/v1/firmware/versions/…), managed by IT
   * and audited. Still set, it stops the start-up with that message rather than being ignored.
   */
  BLOCKED_FIRMWARE: optional,
  /** The built dashboard served at /; empty disables it (API only). */
  WEB_ROOT: z.string().default(path.resolve(import.meta.dirname, '../web/dist')),

  // ---- MQTT bus (docs/mqtt.md) ----
  /** Interface the embedded broker listens on. */
  MQTT_HOST: z.string().default('0.0.0.0'),
  /** MQTT over TLS on the embedded broker; needs MQTT_TLS_CERT_FILE and MQTT_TLS_KEY_FILE. */
  MQTT_TLS_PORT: optionalPort,
  /** PEM certificate, followed by any intermediates the clients need to reach their trusted root. */
  MQTT_TLS_CERT_FILE: optional,
  MQTT_TLS_KEY_FILE: optional,
  /** MQTT over WebSocket (ws://) on the embedded broker. */
  MQTT_WS_PORT: optionalPort,
  /** An external broker (mqtt://, mqtts://, ws://, wss://) instead of the embedded one. */
  MQTT_URL: optional.pipe(z.url({ protocol: /^(mqtts?|wss?)$/ }).optional()),
  /** The platform's own client logs in with these; generated per process for the embedded broker. */
  MQTT_SERVICE_USERNAME: z
    .string()
    .regex(/^service:[\w-]+$/)
    .default('service:platform'),
  MQTT_SERVICE_PASSWORD: optional,
  /** With MQTT_URL on Mosquitto: issue device credentials into its dynamic-security plugin too. */
  MQTT_MOSQUITTO_DYNSEC: z.stringbool().default(false),
  /**
   * Scheduling priority (nice, -20 to 19) of the embedded broker's thread. Below the process's 0,
   * device messages are read first when the machine is busy, not queued behind database writes,
   * garbage collection or a simulator on the same machine (README, telemetry benchmark). Needs
   * CAP_SYS_NICE (root; docker-compose.yml adds it); without it the thread keeps the process's
   * priority and logs a warning.
   */
  MQTT_BROKER_NICE: z.coerce.number().int().min(-20).max(19).default(-5),
  /**
   * How often the broker's copy of device credentials re-reads those issued by other API processes:
   * their old passwords still work here, and sessions on them last, for up to this long.
   */
  CREDENTIALS_REFRESH_S: z.coerce.number().positive().max(3600).default(30),
  /**
   * How often each API process looks for check-outs and check-ins left half done by a process
   * that died, or a database that went away, mid-request (they are finished, or undone, with their
   * history and audit entries). Each is left alone for its first 30 s, a live request's time.
   */
  CUSTODY_SWEEP_S: z.coerce.number().positive().max(3600).default(60),
  /** Largest MQTT packet a device may send (bytes). */
  MQTT_MAX_PACKET_BYTES: z.coerce.number().int().min(256).max(1_048_576).default(16_384),
  /** Readings stamped older than this, or further than a minute ahead, are stale and dropped. */
  TELEMETRY_MAX_AGE_S: z.coerce.number().positive().default(300),
  /**
   * How often live device state is written (one bulk write of the changed shards). Reads come from
   * memory; the writes are for a restart, so a few seconds lose nothing a device will not report
   * again. A fleet reporting steadily dirties every shard each interval, so each write is the whole
   * fleet's state (4 MB at 10,000 devices). At 10,000 msg/s the embedded database used about a
   * fifth of a core writing every 5 s, under a tenth every 15 s.
   */
  TELEMETRY_FLUSH_MS: z.coerce.number().int().min(50).default(10_000),
  TELEMETRY_HISTORY_SAMPLE_S: z.coerce.number().positive().default(60),
  TELEMETRY_HISTORY_RETENTION_DAYS: z.coerce.number().positive().default(90),
  /** How often the retention job deletes history older than that (it also runs at start-up). */
  TELEMETRY_TRIM_EVERY_S: z.coerce.number().int().min(1).default(3_600),

  // ---- Firmware (docs/firmware.md) ----
  /**
   * PEM file of the vendor's Ed25519 public keys (several `PUBLIC KEY` blocks: key rotation). An
   * upload whose signature none of them verifies is refused. Unset: every upload is refused.
   */
  FIRMWARE_TRUSTED_KEYS: optional,
  /** Largest firmware artifact that may be uploaded, in bytes (default 512 MiB). */
  FIRMWARE_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(512 * 1024 ** 2),

  // ---- Webhooks (docs/webhooks.md) ----
  /**
   * Lets webhooks go to loopback, link-local (cloud metadata), unspecified and multicast addresses;
   * off, they are refused at registration and at each delivery. Private ranges are always allowed.
   */
  WEBHOOK_ALLOW_LOOPBACK: z.stringbool().default(false),
  /** The wait after a delivery's first failure (halved to doubled by jitter), doubling after each (up to 1 h). */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(30_000),
  /** A delivery still failing this long after its first attempt is dead (kept with its last error). */
  WEBHOOK_RETRY_WINDOW_S: z.coerce.number().positive().default(86_400),
  /** A receiver that has not answered within this long has failed the attempt. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),

  // ---- Firmware campaigns (docs/firmware.md) ----
  /**
   * Whether this process runs the firmware engine (sends commands, follows acks, times out,
   * retries, advances waves). With several API processes on one database, set it in one of them
   * only (`false` in the others): the engine's claims keep two from commanding a device twice, but
   * their states would race.
   */
  FIRMWARE_ENGINE: z.stringbool().default(true),
  /** How often the engine's job (`firmware.tick`) runs: timeouts, retries, dispatch, waves. */
  FIRMWARE_TICK_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  /** The most firmware-update commands sent in any minute, across the fleet and all campaigns. */
  FIRMWARE_SENDS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(1_500),
  /** A transient failure (download, hash, signature) is retried after this × 2^(attempt − 1) seconds. */
  FIRMWARE_RETRY_BASE_S: z.coerce.number().positive().max(86_400).default(30),
  /** Default per-step timeout of a campaign: a device silent this long after its last report has failed. */
  FIRMWARE_STEP_TIMEOUT_S: z.coerce.number().positive().max(86_400).default(600),
  /** Default least battery (percent) a camera needs for an update, unless it is charging. */
  FIRMWARE_MIN_BATTERY: z.coerce.number().min(0).max(100).default(30),
  /**
   * Where devices download artifacts from (`<base>/api/v1/firmware/artifacts/<id>/download`): the
   * address devices reach the platform at, e.g. behind a proxy. Unset: the platform's own URL.
   */
  FIRMWARE_DOWNLOAD_BASE_URL: optional.pipe(z.url({ protocol: /^https?$/ }).optional()),

  // ---- The rollout's published report (docs/rollout-report.md) ----
  /**
   * Serve published reports without login at /public/reports/latest.html|.pdf and
   * /public/reports/<id>.html|.pdf. Off by default: a force opts in to publishing on the web.
   */
  PUBLIC_REPORTS: z.stringbool().default(false),
  /** The chromium that prints reports to PDF (Debian's; scripts/debian-packages.txt). */
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  /** How often the monthly report's job looks whether last month's draft exists yet. */
  ROLLOUT_REPORT_CHECK_S: z.coerce.number().int().min(1).default(3_600),

  DEVICE_OFFLINE_AFTER_S: z.coerce.number().positive().default(90),
  BATTERY_LOW_PERCENT: z.coerce.number().min(0).max(100).default(20),
  STORAGE_FULL_PERCENT: z.coerce.number().min(0).max(100).default(90),

  // ---- The stores desk's check-out gates (docs/stores-desk.md) ----
  /**
   * Least battery (percent, last reported) a camera needs to be issued; 0 turns the gate off. A
   * camera that has never reported is not refused for its battery (nothing is known of it).
   */
  CHECKOUT_MIN_BATTERY: z.coerce.number().min(0).max(100).default(30),
  /**
   * Which firmware a camera may be issued on: `not-blocked` (default) refuses a version IT blocked;
   * `approved` also refuses one IT has not approved; `latest` only the latest approved version for
   * the camera's model; `any` turns the gate off.
   */
  CHECKOUT_FIRMWARE: z.enum(['any', 'not-blocked', 'approved', 'latest']).default('not-blocked'),
});

const CheckedEnv = Env.superRefine((env, ctx) => {
  if (env.BLOCKED_FIRMWARE !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['BLOCKED_FIRMWARE'],
      message:
        'blocked firmware versions are data now: block each one with PUT /api/v1/firmware/versions/{kind}/{model}/{version} ({"status":"blocked","reason":"…"}, model * for every model), then unset this variable',
    });
  }

  // The first admin's password meets the same policy as any other (NIST SP 800-63B).
  const weakness =
    env.BWV_ADMIN_PASSWORD &&
    passwordWeakness(env.BWV_ADMIN_PASSWORD, { username: 'admin', displayName: 'Administrator' });
  if (weakness)
    ctx.addIssue({
      code: 'custom',
      path: ['BWV_ADMIN_PASSWORD'],
      message: `too weak: the password ${weakness}`,
    });

  // A TLS listener without its certificate cannot start, and a certificate without a TLS port
  // is a listener someone expected: either half alone is a mistake.
  const files = ['MQTT_TLS_CERT_FILE', 'MQTT_TLS_KEY_FILE'] as const;
  if (env.MQTT_TLS_PORT !== undefined) {
    for (const name of files)
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'required with MQTT_TLS_PORT' });
  } else if (files.some((name) => env[name])) {
    ctx.addIssue({ code: 'custom', path: ['MQTT_TLS_PORT'], message: 'required with a certificate and key' });
  }
});

export type Config = Readonly<Omit<z.output<typeof Env>, 'BLOCKED_FIRMWARE'>> & { readonly dbDir: string };

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = CheckedEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const { BLOCKED_FIRMWARE: _gone, ...values } = parsed.data;
  const dataDir = path.resolve(values.DATA_DIR);
  return Object.freeze({ ...values, DATA_DIR: dataDir, dbDir: path.join(dataDir, 'db') });
}
