// The report's PDF: the same self-contained HTML printed by Debian's chromium (playwright-core drives
// it; no downloaded browser). One browser per process, started at the first print and kept (a launch
// costs about a second); each print gets a fresh context with JavaScript off and no network, since
// the page needs neither. A browser that died is started again at the next print.
import { chromium, type Browser } from 'playwright-core';
import { AppError } from '../errors.js';

export interface PdfPrinterOptions {
  /** The chromium executable (CHROMIUM_PATH; Debian's /usr/bin/chromium). */
  executablePath: string;
  /** Told why the browser could not start (logged by the caller). */
  onLaunchError?: (err: unknown) => void;
}

export class PdfPrinter {
  private browser: Promise<Browser> | null = null;

  constructor(private readonly opts: PdfPrinterOptions) {}

  private launch(): Promise<Browser> {
    const launching = chromium
      .launch({
        executablePath: this.opts.executablePath,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      })
      .then((b) => {
        b.on('disconnected', () => {
          if (this.browser === launching) this.browser = null;
        });
        return b;
      });
    launching.catch(() => {
      if (this.browser === launching) this.browser = null;
    });
    this.browser = launching;
    return launching;
  }

  /**
   * The page as an A4 PDF (its own @page rules and backgrounds kept). A browser that cannot start
   * (chromium missing or broken) is an operational problem (503), not a bare 500.
   */
  async print(html: string): Promise<Buffer> {
    const browser = await (this.browser ?? this.launch()).catch((err: unknown) => {
      this.opts.onLaunchError?.(err);
      throw new AppError('rollout-report-pdf-unavailable', 'The PDF printer (chromium) could not start');
    });
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    try {
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    } finally {
      await context.close();
    }
  }

  async close(): Promise<void> {
    const b = this.browser;
    this.browser = null;
    if (b) await (await b.catch(() => null))?.close();
  }
}
