// Evidence storage: content-addressed (a blob's key is its SHA-256), written once, never modified.
import type { Readable } from 'node:stream';

export interface StoredBlob {
  sha256: string;
  size: number;
  /** False when identical content was already stored (the upload was a repeat). */
  created: boolean;
}

export interface PutOptions {
  /** Refuse (and keep nothing) unless the content hashes to this. */
  expectedSha256?: string;
  /** Refuse (and keep nothing) past this many bytes. */
  maxBytes?: number;
}

export class EvidenceIntegrityError extends Error {
  constructor(
    readonly reason: 'hash-mismatch' | 'too-large' | 'incomplete',
    message: string,
  ) {
    super(message);
  }
}

export interface EvidenceStore {
  /** Streams content in, hashing while it writes; commits only complete content that passes the checks. */
  put(content: Readable, opts?: PutOptions): Promise<StoredBlob>;
  /** Moves a finished local file (e.g. a derivative) into the store under its hash. */
  putFile(file: string): Promise<StoredBlob>;
  /** The SHA-256 a local file would be stored under (to note it before putFile commits it). */
  digest(file: string): Promise<string>;
  has(sha256: string): Promise<boolean>;
  size(sha256: string): Promise<number | null>;
  /** Reads a blob, or the inclusive byte range [start, end] of it. */
  read(sha256: string, range?: { start: number; end: number }): Readable;
  /** A local path of the blob for tools that need one (ffmpeg); read-only. */
  localPath(sha256: string): string;
  /** A scratch directory on the same filesystem, for work files that putFile will move in. */
  scratchDir(): string;
  /**
   * Removes a blob that nothing references — only ever a redaction output that lost the claim on its
   * clip's one derivative. Evidence that anything refers to is never removed; the caller checks.
   */
  discard(sha256: string): Promise<void>;
}
