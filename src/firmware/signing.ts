// Ed25519 signatures over firmware artifacts (RFC 8032, plain Ed25519 over the artifact's bytes):
// the vendor signs (`npm run firmware:sign`), the platform refuses an upload no trusted key
// verifies, and the device checks again before it installs. One place for keys and signatures, used
// by the platform, the scripts (scripts/firmware-keys.ts), the simulator, the bench and the tests.
// Node only (no other module of ours), so any of them can import it.
//
// Several public keys may be trusted at once (a PEM file of several `PUBLIC KEY` blocks): a vendor
// rotating its key signs new firmware with the new one while what the old one signed still checks.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface TrustedKey {
  key: KeyObject;
  /** SHA-256 of the key's SubjectPublicKeyInfo (DER), hex: names the key in records and the audit trail. */
  fingerprint: string;
}

/** An Ed25519 signature is 64 bytes: 88 characters of base64. */
const SIGNATURE_BYTES = 64;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const PUBLIC_KEY_BLOCK = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g;

export const keyFingerprint = (key: KeyObject): string =>
  createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex');

/**
 * The Ed25519 public keys among a PEM text's `PUBLIC KEY` blocks (other key types are skipped).
 * Throws if a block is not a public key at all.
 */
export function parseTrustedKeys(pem: string): TrustedKey[] {
  const keys: TrustedKey[] = [];
  for (const block of pem.match(PUBLIC_KEY_BLOCK) ?? []) {
    const key = createPublicKey(block);
    if (key.asymmetricKeyType === 'ed25519') keys.push({ key, fingerprint: keyFingerprint(key) });
  }
  return keys;
}

/**
 * Reads the trusted keys from a PEM file; throws, with a message naming what is wrong, if the file
 * cannot be read or holds no Ed25519 public key. Synchronous: read once, at start-up.
 */
export function loadTrustedKeys(file: string): TrustedKey[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let keys: TrustedKey[];
  try {
    keys = parseTrustedKeys(text);
  } catch {
    throw new Error(`${file} has a PUBLIC KEY block that is not a valid public key`);
  }
  if (keys.length === 0) {
    throw new Error(`${file} holds no Ed25519 public key (-----BEGIN PUBLIC KEY----- blocks)`);
  }
  return keys;
}

/** The signature's bytes if it is base64 of 64 bytes (spaces read as `+`: an unencoded query), else null. */
export function decodeSignature(base64: string): Buffer | null {
  const s = base64.trim().replace(/ /g, '+');
  if (!BASE64.test(s) || s.length % 4 !== 0) return null;
  const bytes = Buffer.from(s, 'base64');
  return bytes.length === SIGNATURE_BYTES ? bytes : null;
}

/** The trusted key that verifies `signature` over `bytes`, or null if none does. */
export function verifySignature(
  bytes: Buffer,
  signature: Buffer,
  keys: readonly TrustedKey[],
): TrustedKey | null {
  if (signature.length !== SIGNATURE_BYTES) return null;
  return keys.find((k) => verify(null, bytes, k.key, signature)) ?? null;
}

export interface VendorKeys {
  privatePem: string;
  publicPem: string;
  fingerprint: string;
}

/** A new Ed25519 key pair, as a vendor would keep it: private key PKCS#8 PEM, public key SPKI PEM. */
export function generateVendorKeys(): VendorKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: keyFingerprint(publicKey),
  };
}

/** The base64 Ed25519 signature of `bytes` with a PEM private key. */
export function signArtifact(bytes: Buffer, privatePem: string): string {
  const key = createPrivateKey(privatePem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 private key');
  return sign(null, bytes, key).toString('base64');
}

/**
 * Writes a new key pair into `dir` as `vendor-private.pem` (0600) and `vendor-public.pem`; refuses
 * to overwrite either (a lost private key cannot be made again).
 */
export async function writeVendorKeys(
  dir: string,
): Promise<{ privateKey: string; publicKey: string; fingerprint: string }> {
  const keys = generateVendorKeys();
  const privateKey = path.join(dir, 'vendor-private.pem');
  const publicKey = path.join(dir, 'vendor-public.pem');
  await writeFile(privateKey, keys.privatePem, { flag: 'wx', mode: 0o600 });
  await writeFile(publicKey, keys.publicPem, { flag: 'wx', mode: 0o644 });
  return { privateKey, publicKey, fingerprint: keys.fingerprint };
}

/** The base64 signature of a file with the private key in `keyFile` (the file is read whole). */
export async function signFile(keyFile: string, file: string): Promise<string> {
  const [pem, bytes] = await Promise.all([readFile(keyFile, 'utf8'), readFile(file)]);
  return signArtifact(bytes, pem);
}
