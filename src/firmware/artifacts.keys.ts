// The vendor keys the platform trusts (FIRMWARE_TRUSTED_KEYS), read once at start-up: a file that is
// named but cannot be read, or holds no Ed25519 public key, stops the start with a message saying so.
import { ConfigError } from '../config.js';
import { loadTrustedKeys, type TrustedKey } from './signing.js';

export function trustedKeysOf(file: string | undefined): TrustedKey[] {
  if (!file) return [];
  try {
    return loadTrustedKeys(file);
  } catch (err) {
    throw new ConfigError(`Invalid configuration:\n  FIRMWARE_TRUSTED_KEYS: ${(err as Error).message}`);
  }
}
