// Evidence on the local filesystem under $DATA_DIR/evidence: blobs at sha256/ab/cd/<hash>, read-only.
// Writes go to tmp/ first and are renamed into place only when complete and verified, so a cut-off or
// refused upload leaves no partial file under its key; link() refuses to replace an existing blob.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, link, mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  EvidenceIntegrityError,
  type EvidenceStore,
  type PutOptions,
  type StoredBlob,
} from './evidence.store.js';

const HEX64 = /^[0-9a-f]{64}$/;

export class LocalEvidenceStore implements EvidenceStore {
  constructor(private readonly root: string) {}

  async init(): Promise<this> {
    await mkdir(path.join(this.root, 'tmp'), { recursive: true });
    await mkdir(path.join(this.root, 'sha256'), { recursive: true });
    return this;
  }

  localPath(sha256: string): string {
    if (!HEX64.test(sha256)) throw new Error('not a SHA-256 hex digest');
    return path.join(this.root, 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  scratchDir(): string {
    return path.join(this.root, 'tmp');
  }

  private tmpName() {
    return path.join(this.root, 'tmp', `${Date.now()}-${randomBytes(8).toString('hex')}`);
  }

  async put(content: Readable, opts: PutOptions = {}): Promise<StoredBlob> {
    const tmp = this.tmpName();
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (opts.maxBytes !== undefined && size > opts.maxBytes) {
          done(new EvidenceIntegrityError('too-large', `Larger than the limit of ${opts.maxBytes} bytes`));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(content, meter, createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
      const sha256 = hash.digest('hex');
      if (opts.expectedSha256 !== undefined && opts.expectedSha256 !== sha256) {
        throw new EvidenceIntegrityError(
          'hash-mismatch',
          `The content hashes to ${sha256}, not the declared ${opts.expectedSha256}`,
        );
      }
      return await this.commit(tmp, sha256, size);
    } catch (err) {
      if (err instanceof EvidenceIntegrityError) throw err;
      if ((err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' || content.destroyed) {
        throw new EvidenceIntegrityError('incomplete', 'The upload ended before it was complete');
      }
      throw err;
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async putFile(file: string): Promise<StoredBlob> {
    try {
      const { sha256, size } = await hashOf(file);
      return await this.commit(file, sha256, size);
    } finally {
      await rm(file, { force: true });
    }
  }

  async digest(file: string): Promise<string> {
    return (await hashOf(file)).sha256;
  }

  /** Hard-links the finished file to its content address; if it is there already, that one stays. */
  private async commit(file: string, sha256: string, size: number): Promise<StoredBlob> {
    const dest = this.localPath(sha256);
    await mkdir(path.dirname(dest), { recursive: true });
    await chmod(file, 0o444);
    try {
      await link(file, dest);
      return { sha256, size, created: true };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { sha256, size, created: false };
      throw err;
    }
  }

  async discard(sha256: string): Promise<void> {
    await rm(this.localPath(sha256), { force: true });
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.size(sha256)) !== null;
  }

  async size(sha256: string): Promise<number | null> {
    try {
      return (await stat(this.localPath(sha256))).size;
    } catch {
      return null;
    }
  }

  read(sha256: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.localPath(sha256), range);
  }
}

async function hashOf(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}
