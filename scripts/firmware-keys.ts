// The firmware vendor's tools: make an Ed25519 key pair, sign an artifact. The platform trusts the
// public keys in FIRMWARE_TRUSTED_KEYS and refuses an upload whose signature none of them verifies.
// Run: npm run firmware:keygen -- --out <dir>            (writes vendor-private.pem, vendor-public.pem)
//      npm run firmware:sign -- --key <private.pem> <file>  (prints the base64 signature)
// The functions are in src/firmware/signing.ts (the simulator, bench and tests use them from there).
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { signFile, writeVendorKeys } from '../src/firmware/signing.js';

const USAGE = `usage: firmware-keys.ts keygen --out <dir>
       firmware-keys.ts sign --key <private.pem> <file>`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === 'keygen') {
    const { values } = parseArgs({ args: rest, options: { out: { type: 'string' } } });
    if (!values.out) fail('--out <dir> is required');
    await mkdir(values.out, { recursive: true });
    const keys = await writeVendorKeys(values.out);
    process.stdout.write(
      `private key: ${keys.privateKey} (keep it secret, off the platform)\n` +
        `public key:  ${keys.publicKey} (append it to the FIRMWARE_TRUSTED_KEYS file)\n` +
        `fingerprint: ${keys.fingerprint}\n`,
    );
  } else if (command === 'sign') {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { key: { type: 'string' } },
      allowPositionals: true,
    });
    if (!values.key || positionals.length !== 1) fail('--key <private.pem> and one file are required');
    process.stdout.write(`${await signFile(values.key, positionals[0]!)}\n`);
  } else {
    fail(`unknown command ${command ?? '(none)'}`);
  }
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  fail(
    e.code === 'EEXIST' ? `${e.path ?? 'a key file'} exists already: keys are never overwritten` : e.message,
  );
}
