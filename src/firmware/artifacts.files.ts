// Firmware files under $DATA_DIR/firmware: an upload is streamed to `.incoming/<random>` (hashed and
// counted as it is written, never held in memory), and only once its signature checks is it
// hard-linked to `<sha256>`, read-only (0444). link() refuses an existing name, so a stored file is
// never replaced: the same bytes uploaded again find theirs there. A refused upload leaves nothing.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, link, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const HEX64 = /^[0-9a-f]{64}$/;
/** An incoming file older than this is left over from a crash: removed at start. */
const STALE_MS = 24 * 3_600_000;

export class UploadError extends Error {
  constructor(
    readonly reason: 'too-large' | 'incomplete',
    message: string,
  ) {
    super(message);
  }
}

/** A file received but not yet stored under its hash. */
export interface Incoming {
  file: string;
  sha256: string;
  size: number;
}

export class ArtifactFiles {
  private readonly incoming: string;

  constructor(readonly root: string) {
    this.incoming = path.join(root, '.incoming');
  }

  /** Creates the folders and removes incoming files a crash left behind. */
  async init(): Promise<this> {
    await mkdir(this.incoming, { recursive: true });
    const now = Date.now();
    for (const name of await readdir(this.incoming)) {
      const file = path.join(this.incoming, name);
      const s = await stat(file).catch(() => null);
      if (s && now - s.mtimeMs > STALE_MS) await rm(file, { force: true });
    }
    return this;
  }

  /** Where the stored file of that hash is (it may not be there). */
  pathOf(sha256: string): string {
    if (!HEX64.test(sha256)) throw new Error('not a SHA-256 hex digest');
    return path.join(this.root, sha256);
  }

  /** Streams the body to an incoming file, hashing it; refuses (and keeps nothing) past `maxBytes`. */
  async receive(body: Readable, maxBytes: number): Promise<Incoming> {
    const file = path.join(this.incoming, `${Date.now()}-${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) {
          done(new UploadError('too-large', `The limit is ${maxBytes} bytes (FIRMWARE_MAX_BYTES)`));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
      return { file, sha256: hash.digest('hex'), size };
    } catch (err) {
      await rm(file, { force: true });
      if (err instanceof UploadError) throw err;
      if ((err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' || body.destroyed) {
        throw new UploadError('incomplete', 'The upload ended before it was complete');
      }
      throw err;
    }
  }

  /** The incoming file's bytes, for the one-shot signature check (bounded by the upload limit). */
  read(incoming: Incoming): Promise<Buffer> {
    return readFile(incoming.file);
  }

  /**
   * Stores the incoming file under its hash, read-only, and removes the incoming name. `created`
   * is false when a file of that hash was already stored (the same bytes: that one stays).
   */
  async commit(incoming: Incoming): Promise<{ created: boolean }> {
    try {
      await chmod(incoming.file, 0o444);
      await link(incoming.file, this.pathOf(incoming.sha256));
      return { created: true };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { created: false };
      throw err;
    } finally {
      await rm(incoming.file, { force: true });
    }
  }

  /** Removes an incoming file that was refused. */
  async discard(incoming: Incoming): Promise<void> {
    await rm(incoming.file, { force: true });
  }

  /** Removes a stored file no record refers to (its upload lost the race for its version). */
  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }
}
