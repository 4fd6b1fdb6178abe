// Published reports under $DATA_DIR/reports, write-once: a version is written to `.incoming/<random>`,
// made read-only (0444), then hard-linked to `<sha256>.html|pdf`. link() refuses an existing name, so
// a stored file is never replaced; the same bytes published again find theirs there. A reader never
// sees a half-written file. Reading checks the hash again, so a file changed on disk is not served.
import { createHash, randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const HEX64 = /^[0-9a-f]{64}$/;
export type ReportFormat = 'html' | 'pdf';

export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

export class ReportFiles {
  private readonly incoming: string;

  constructor(readonly root: string) {
    this.incoming = path.join(root, '.incoming');
  }

  async init(): Promise<this> {
    await mkdir(this.incoming, { recursive: true });
    return this;
  }

  pathOf(hash: string, format: ReportFormat): string {
    if (!HEX64.test(hash)) throw new Error('not a SHA-256 hex digest');
    return path.join(this.root, `${hash}.${format}`);
  }

  /** Stores the bytes under their hash (read-only); resolves with the hash. */
  async store(bytes: Buffer, format: ReportFormat): Promise<string> {
    const hash = sha256(bytes);
    const tmp = path.join(this.incoming, `${Date.now()}-${randomBytes(8).toString('hex')}`);
    try {
      await writeFile(tmp, bytes, { flag: 'wx', mode: 0o444 });
      await chmod(tmp, 0o444); // whatever the umask
      await link(tmp, this.pathOf(hash, format)).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
    } finally {
      await rm(tmp, { force: true });
    }
    return hash;
  }

  /** The stored bytes, if they still match their hash; null when missing or changed. */
  async read(hash: string, format: ReportFormat): Promise<Buffer | null> {
    const bytes = await readFile(this.pathOf(hash, format)).catch(() => null);
    return bytes && sha256(bytes) === hash ? bytes : null;
  }
}
