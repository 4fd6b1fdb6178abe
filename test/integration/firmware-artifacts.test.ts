// Firmware artifacts (issue 16, part 1): IT uploads a vendor-signed file, streamed; it is kept
// (write-once, read-only, under its SHA-256) only if one of the trusted vendor keys verifies the
// signature, and recorded once per version. Devices download, with their own credentials and HTTP
// Range, only what a command has sent them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DomainEvent } from '../../src/events/index.js';
import { generateVendorKeys, signArtifact, type VendorKeys } from '../../src/firmware/index.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newStation } from '../helpers/factories.js';
import { credentialsFor } from '../helpers/mqtt.js';

const MAX_BYTES = 300_000;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const basic = (c: { username: string; password: string }) =>
  `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;

/** A PEM file of trusted keys as a vendor's rotation leaves it: two Ed25519 keys, and an RSA key beside them. */
async function trustedKeysFile(dir: string, keys: VendorKeys[]) {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
    type: 'spki',
    format: 'pem',
  });
  const file = path.join(dir, 'trusted.pem');
  await writeFile(file, [keys[0]!.publicPem, rsa.toString(), keys[1]!.publicPem].join('\n'));
  return file;
}

describe('firmware artifacts', () => {
  let app: TestApp;
  let it_: Record<string, string>;
  let oldKey: VendorKeys;
  let newKey: VendorKeys;
  let firmwareDir: string;
  const added: Array<DomainEvent<'firmware.artifact-added'>> = [];

  beforeAll(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bwv-fw-keys-'));
    [oldKey, newKey] = [generateVendorKeys(), generateVendorKeys()];
    app = await startApp({
      FIRMWARE_TRUSTED_KEYS: await trustedKeysFile(dir, [oldKey, newKey]),
      FIRMWARE_MAX_BYTES: String(MAX_BYTES),
    });
    app.platform.events.on('firmware.artifact-added', (e) => void added.push(e));
    it_ = await app.as('it');
    firmwareDir = path.join(app.platform.config.DATA_DIR, 'firmware');
  }, 60_000);
  afterAll(() => app.close());

  const upload = (
    q: { kind?: string; model?: string; version: string; signature?: string; notes?: string },
    body: Buffer,
    headers = it_,
  ) =>
    app
      .http()
      .post('/api/v1/firmware/artifacts')
      .query({ kind: 'camera', model: 'VB400', ...q })
      .set(headers)
      .set('content-type', 'application/octet-stream')
      .send(body);

  const auditOf = async (action: string) =>
    (await app.platform.services.audit.list({ action }, 50, 0)).items as Array<{
      summary: string;
      target: { id: string };
      actor: { id: string };
    }>;

  /** Nothing of a refused upload is left: no record of the version, no file, nothing incoming. */
  async function keptNothing(version: string, bytes: Buffer) {
    const list = await app.http().get('/api/v1/firmware/artifacts?kind=camera&model=VB400').set(it_);
    expect(list.body.items.map((a: { version: string }) => a.version)).not.toContain(version);
    expect(await app.platform.services.firmwareArtifacts.find('camera', 'VB400', version)).toBeNull();
    expect(await readdir(firmwareDir)).not.toContain(sha256(bytes));
    expect(await readdir(path.join(firmwareDir, '.incoming'))).toEqual([]);
  }

  it('keeps a second version whose bytes are the same file as another version', async () => {
    const bytes = randomBytes(50_000);
    const signature = signArtifact(bytes, newKey.privatePem);
    const first = await upload({ model: 'VB500', version: '4.1.0', signature }, bytes).expect(201);
    const second = await upload({ model: 'VB500', version: '4.1.1', signature }, bytes).expect(201);
    expect(second.body).toMatchObject({ version: '4.1.1', sha256: first.body.sha256 });
    expect(second.body.id).not.toBe(first.body.id);
    expect((await stat(path.join(firmwareDir, sha256(bytes)))).size).toBe(bytes.length);
    expect(await readdir(path.join(firmwareDir, '.incoming'))).toEqual([]);
  });

  it('keeps an upload signed by a trusted key, read-only under its SHA-256, audited and announced', async () => {
    const bytes = randomBytes(150_000);
    const res = await upload(
      { version: '2.5.0', signature: signArtifact(bytes, oldKey.privatePem), notes: 'Fixes the GPS drift' },
      bytes,
    ).expect(201);
    expect(res.body).toMatchObject({
      kind: 'camera',
      model: 'VB400',
      version: '2.5.0',
      size: bytes.length,
      sha256: sha256(bytes),
      keyFingerprint: oldKey.fingerprint,
      notes: 'Fixes the GPS drift',
      uploadedBy: expect.stringMatching(/^it-/),
      status: 'unreviewed',
    });
    expect(res.body.id).toMatch(/^[0-9a-f]{12}$/);
    const file = path.join(firmwareDir, sha256(bytes));
    expect((await stat(file)).mode & 0o777).toBe(0o444);
    expect((await stat(file)).size).toBe(bytes.length);
    expect(await readdir(path.join(firmwareDir, '.incoming'))).toEqual([]);

    const got = await app.http().get(`/api/v1/firmware/artifacts/${res.body.id}`).set(it_).expect(200);
    expect(got.body).toEqual(res.body);
    const [entry] = await auditOf('firmware.artifact.upload');
    expect(entry).toMatchObject({ target: { id: res.body.id }, summary: expect.stringContaining('2.5.0') });
    expect(added.map((e) => e.data)).toContainEqual({
      artifact: res.body.id,
      kind: 'camera',
      model: 'VB400',
      version: '2.5.0',
      sha256: sha256(bytes),
      size: bytes.length,
    });
  });

  it('checks the signature against every trusted key: the vendor’s newer key works too', async () => {
    const bytes = randomBytes(10_000);
    // Sent unencoded, a base64 `+` arrives as a space: it is read back as `+`.
    const signature = signArtifact(bytes, newKey.privatePem);
    const res = await app
      .http()
      .post(`/api/v1/firmware/artifacts?kind=dock&model=VT-DOCK14&version=1.4.0&signature=${signature}`)
      .set(it_)
      .set('content-type', 'application/octet-stream')
      .send(bytes);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'dock',
      keyFingerprint: newKey.fingerprint,
      sha256: sha256(bytes),
    });
  });

  it('refuses (422) an unsigned, wrongly signed or untrusted upload, and keeps nothing of it', async () => {
    const bytes = randomBytes(20_000);
    const refused = async (signature: string | undefined, detail: RegExp) => {
      const res = await upload({ version: '2.6.0', ...(signature !== undefined && { signature }) }, bytes);
      expect({ status: res.status, type: res.body.type }).toEqual({
        status: 422,
        type: '/problems/firmware-signature-invalid',
      });
      expect(res.body.detail).toMatch(detail);
      await keptNothing('2.6.0', bytes);
    };
    await refused(undefined, /signature=<base64>/);
    await refused('bm90IGEgc2lnbmF0dXJl', /64 bytes/);
    // A signature of other bytes, and one by a key the platform does not trust.
    await refused(signArtifact(randomBytes(20_000), oldKey.privatePem), /any of the 2 trusted keys/);
    await refused(signArtifact(bytes, generateVendorKeys().privatePem), /any of the 2 trusted keys/);
    // The same bytes, one bit changed after signing (a tampered file).
    const tampered = Buffer.from(bytes);
    tampered.writeUInt8(tampered.readUInt8(5_000) ^ 1, 5_000);
    const res = await upload(
      { version: '2.6.0', signature: signArtifact(bytes, oldKey.privatePem) },
      tampered,
    );
    expect(res.status).toBe(422);
    await keptNothing('2.6.0', tampered);
    // Refusals of a file are in the audit trail (the request changed nothing).
    expect((await auditOf('firmware.artifact.refused')).length).toBe(3);
  });

  it('refuses a version already uploaded (409) and a file over FIRMWARE_MAX_BYTES (413)', async () => {
    const first = randomBytes(5_000);
    await upload({ version: '2.7.0', signature: signArtifact(first, oldKey.privatePem) }, first).expect(201);
    const second = randomBytes(5_000);
    const dup = await upload(
      { version: '2.7.0', signature: signArtifact(second, oldKey.privatePem) },
      second,
    );
    expect({ status: dup.status, type: dup.body.type }).toEqual({
      status: 409,
      type: '/problems/firmware-version-exists',
    });
    expect(await readdir(firmwareDir)).not.toContain(sha256(second));

    const big = randomBytes(MAX_BYTES + 1);
    const declared = await upload({ version: '2.8.0', signature: signArtifact(big, oldKey.privatePem) }, big);
    expect({ status: declared.status, type: declared.body.type }).toEqual({
      status: 413,
      type: '/problems/firmware-too-large',
    });
    // Sent chunked (no Content-Length): counted while it streams, refused at the limit.
    const chunks = [big.subarray(0, 200_000), big.subarray(200_000)];
    const streamed = await fetch(
      `${app.url}/api/v1/firmware/artifacts?kind=camera&model=VB400&version=2.8.0&signature=${encodeURIComponent(signArtifact(big, oldKey.privatePem))}`,
      {
        method: 'POST',
        headers: { ...it_, 'content-type': 'application/octet-stream' },
        body: new ReadableStream({
          pull(c) {
            const next = chunks.shift();
            if (next) c.enqueue(next);
            else c.close();
          },
        }),
        duplex: 'half',
      } as RequestInit,
    );
    expect(streamed.status).toBe(413);
    await keptNothing('2.8.0', big);
  });

  it('lets IT and admins upload, auditors read only, and nobody else in', async () => {
    const bytes = randomBytes(1_000);
    const signature = signArtifact(bytes, oldKey.privatePem);
    for (const role of ['stores', 'reviewer', 'inspector', 'auditor'] as const) {
      const who = await app.as(role);
      const res = await upload({ version: '3.0.0', signature }, bytes, who);
      expect({ role, status: res.status }).toEqual({ role, status: 403 });
      const read = await app.http().get('/api/v1/firmware/artifacts').set(who);
      expect({ role, status: read.status }).toEqual({ role, status: role === 'auditor' ? 200 : 403 });
    }
    await keptNothing('3.0.0', bytes);
    const admin = await app.as('admin');
    await upload({ version: '3.0.0', signature }, bytes, admin).expect(201);
    const list = await app.http().get('/api/v1/firmware/artifacts?kind=camera&model=VB400').set(it_);
    // Newest version first.
    expect(list.body.items.map((a: { version: string }) => a.version)).toEqual(['3.0.0', '2.7.0', '2.5.0']);
    expect(list.body.total).toBe(3);
  });

  describe('download by a device', () => {
    const bytes = randomBytes(64_000);
    let artifact: string;
    let camera: { serial: string; creds: { username: string; password: string } };
    let other: { serial: string; creds: { username: string; password: string } };

    beforeAll(async () => {
      const res = await upload(
        { version: '4.0.0', signature: signArtifact(bytes, oldKey.privatePem) },
        bytes,
      ).expect(201);
      artifact = res.body.id;
      const admin = await app.as('admin');
      const station = await newStation(app, admin);
      const device = async () => {
        const serial = await newCamera(app, admin, { station });
        return { serial, creds: await credentialsFor(app, admin, 'camera', serial, { registered: true }) };
      };
      [camera, other] = [await device(), await device()];
    });

    const download = (auth: string | null, id = artifact) => {
      const req = app.http().get(`/api/v1/firmware/artifacts/${id}/download`);
      return auth ? req.set('Authorization', auth) : req;
    };
    const refusals = () => app.platform.services.refusals.stats()['firmware.download.refused'] ?? 0;

    it('asks for device credentials (401) without them or with a wrong password', async () => {
      for (const auth of [null, basic({ ...camera.creds, password: 'wrong' }), `Bearer x`]) {
        const res = await download(auth);
        expect({ status: res.status, type: res.body.type }).toEqual({
          status: 401,
          type: '/problems/device-unauthenticated',
        });
      }
    });

    it('answers 404 for an artifact not sent to the device, whether it exists or not, and counts it', async () => {
      const before = refusals();
      for (const id of [artifact, 'ffffffffffff', 'not-an-id']) {
        const res = await download(basic(camera.creds), id);
        expect({ id, status: res.status, type: res.body.type }).toEqual({
          id,
          status: 404,
          type: '/problems/firmware-artifact-not-found',
        });
      }
      expect(refusals()).toBe(before + 3);
      const [audited] = (
        await app.platform.services.audit.list(
          { action: 'firmware.download.refused', actorId: camera.creds.username },
          1,
          0,
        )
      ).items;
      expect(audited).toBeDefined();
    });

    it('serves a granted artifact whole and by range (206), with its SHA-256 as ETag; 416 past the end', async () => {
      await app.platform.services.firmwareArtifacts.grant({ kind: 'camera', id: camera.serial }, artifact);
      await app.platform.services.firmwareArtifacts.grant({ kind: 'camera', id: camera.serial }, artifact);
      const whole = await download(basic(camera.creds))
        .buffer(true)
        .parse((res, done) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => done(null, Buffer.concat(parts)));
        })
        .expect(200);
      expect(Buffer.compare(whole.body as Buffer, bytes)).toBe(0);
      expect(whole.headers).toMatchObject({
        etag: `"${sha256(bytes)}"`,
        'accept-ranges': 'bytes',
        'content-length': String(bytes.length),
        'content-type': 'application/octet-stream',
      });

      // A download cut off at 40,000 bytes resumes from there.
      const rest = await fetch(`${app.url}/api/v1/firmware/artifacts/${artifact}/download`, {
        headers: {
          Authorization: basic(camera.creds),
          Range: 'bytes=40000-',
          'If-Range': `"${sha256(bytes)}"`,
        },
      });
      expect(rest.status).toBe(206);
      expect(rest.headers.get('content-range')).toBe(`bytes 40000-${bytes.length - 1}/${bytes.length}`);
      expect(Buffer.compare(Buffer.from(await rest.arrayBuffer()), bytes.subarray(40_000))).toBe(0);

      const middle = await fetch(`${app.url}/api/v1/firmware/artifacts/${artifact}/download`, {
        headers: { Authorization: basic(camera.creds), Range: 'bytes=100-199' },
      });
      expect(middle.status).toBe(206);
      expect(Buffer.compare(Buffer.from(await middle.arrayBuffer()), bytes.subarray(100, 200))).toBe(0);

      const past = await download(basic(camera.creds)).set('Range', `bytes=${bytes.length}-`);
      expect({ status: past.status, type: past.body.type, range: past.headers['content-range'] }).toEqual({
        status: 416,
        type: '/problems/range-not-satisfiable',
        range: `bytes */${bytes.length}`,
      });

      // The grant is the camera's: another camera still gets 404.
      expect((await download(basic(other.creds))).status).toBe(404);
    });
  });

  it('stops the start-up when FIRMWARE_TRUSTED_KEYS names a file it cannot use', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bwv-fw-bad-'));
    await expect(startApp({ FIRMWARE_TRUSTED_KEYS: path.join(dir, 'missing.pem') })).rejects.toThrow(
      /FIRMWARE_TRUSTED_KEYS: cannot read .*missing\.pem \(ENOENT\)/,
    );
    const rsaOnly = path.join(dir, 'rsa.pem');
    await writeFile(
      rsaOnly,
      generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }),
    );
    await expect(startApp({ FIRMWARE_TRUSTED_KEYS: rsaOnly })).rejects.toThrow(
      /FIRMWARE_TRUSTED_KEYS: .*rsa\.pem holds no Ed25519 public key/,
    );
  });
});
