// The face detector's model processes, kept loaded from one clip to the next: loading them costs
// 1–2 CPU-s, about a tenth of the work on a 150-frame clip (docs/redaction.md). They are closed
// after `idleMs` without a clip (three onnxruntime processes hold ~300 MB), and dropped after any
// failure that is not the clip's own fault, in case a model process is what failed: the next clip
// loads afresh. One clip at a time: redactClip rewinds the tile rotation for each.
import { FaceDetector, type DetectorParams } from './detector/detector.js';
import { RedactionInputError } from './errors.js';

export class WarmDetector {
  private loaded: Promise<FaceDetector> | null = null;
  private idle: NodeJS.Timeout | null = null;
  private busy = false;
  private closing = false;

  constructor(
    private readonly params: DetectorParams,
    private readonly idleMs: number,
  ) {}

  /** Runs `work` with the loaded detector, loading it first if it is not. */
  async use<T>(work: (detector: FaceDetector) => Promise<T>): Promise<T> {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    this.closing = false;
    this.busy = true;
    const loading = (this.loaded ??= FaceDetector.load(this.params));
    let detector: FaceDetector;
    try {
      detector = await loading;
    } catch (err) {
      this.busy = false;
      if (this.loaded === loading) this.loaded = null;
      throw err;
    }
    try {
      return await work(detector);
    } catch (err) {
      if (!(err instanceof RedactionInputError) && this.loaded === loading) {
        this.loaded = null;
        await detector.close().catch(() => undefined);
      }
      throw err;
    } finally {
      this.busy = false;
      if (this.closing) await this.close();
      else if (this.loaded === loading) this.idle = setTimeout(() => void this.close(), this.idleMs).unref();
    }
  }

  /** Ends the model processes: now if idle, else once the clip in hand is done (not cut short). */
  async close(): Promise<void> {
    if (this.busy) {
      this.closing = true;
      return;
    }
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    const loaded = this.loaded;
    this.loaded = null;
    const detector = await loaded?.catch(() => null);
    await detector?.close();
  }
}
