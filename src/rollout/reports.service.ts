// The rollout's progress reports: drafts made on demand (programme lead) and monthly (the job),
// previewed as HTML and PDF rendered from the draft's stored input, and published write-once: the
// HTML and PDF as they are published are stored under their SHA-256 (reports.files.ts), the
// publication (its hashes, who, when) is claimed by a unique insert, audited with the hashes, and
// announced (`rollout.report-published`). Published versions are served from the stored files, and
// without login when the force opts in (PUBLIC_REPORTS).
import { randomBytes } from 'node:crypto';
import type { AuditService } from '../audit/index.js';
import { AppError, notFound } from '../errors.js';
import type { DomainEventBus } from '../events/index.js';
import type { Logger } from '../logger.js';
import type { ActionContext } from '../shared/index.js';
import type { ReportFiles, ReportFormat } from './reports.files.js';
import type { PublicationDoc, ReportDoc, ReportKind } from './reports.model.js';
import type { PdfPrinter } from './reports.pdf.js';
import { renderReport } from './reports.render.js';
import type { ReportsRepository } from './reports.repository.js';
import type { ReportSource } from './rollout.types.js';

export interface ReportSummary {
  id: string;
  kind: ReportKind;
  /** The reported month of a monthly draft (YYYY-MM), else null. */
  month: string | null;
  status: 'draft' | 'published';
  /** As of when its figures were gathered. */
  at: string;
  generatedAt: string;
  createdBy: string;
  publication: {
    sha256Html: string;
    sha256Pdf: string;
    bytesHtml: number;
    bytesPdf: number;
    publishedBy: string;
    publishedAt: string;
  } | null;
}

export interface ReportFile {
  bytes: Buffer;
  format: ReportFormat;
  /** Published: the stored version's hash (an ETag that never changes). */
  sha256: string | null;
  id: string;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The first instant of the month after `month` (YYYY-MM), UTC: a monthly report's "as of". */
export const endOfMonth = (month: string) =>
  new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1));

/** The month before the one `now` is in (YYYY-MM, UTC): what a monthly report made now reports on. */
export const previousMonth = (now: Date) => {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

function summary(r: Omit<ReportDoc, 'input'>, p: PublicationDoc | null): ReportSummary {
  return {
    id: r._id,
    kind: r.kind,
    month: r.month,
    status: p ? 'published' : 'draft',
    at: r.at.toISOString(),
    generatedAt: r.createdAt.toISOString(),
    createdBy: r.createdBy,
    publication: p && {
      sha256Html: p.sha256Html,
      sha256Pdf: p.sha256Pdf,
      bytesHtml: p.bytesHtml,
      bytesPdf: p.bytesPdf,
      publishedBy: p.publishedBy,
      publishedAt: p.publishedAt.toISOString(),
    },
  };
}

export class ReportsService {
  constructor(
    private readonly repo: ReportsRepository,
    private readonly files: ReportFiles,
    private readonly printer: PdfPrinter,
    private readonly source: ReportSource,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
    private readonly opts: { publicReports: boolean; now?: () => Date },
    private readonly log: Logger,
  ) {}

  private now() {
    return this.opts.now?.() ?? new Date();
  }

  /** A new draft with the figures as of now. */
  async generate(ctx: ActionContext): Promise<ReportSummary> {
    const at = this.now();
    const input = await this.source.gather(at);
    const id = `rpt_${randomBytes(12).toString('hex')}`;
    await this.repo.insert({ _id: id, kind: 'on-demand', month: null, at, input, createdBy: ctx.actor.id });
    await this.audit.record(ctx, {
      action: 'rollout.report.generate',
      target: { kind: 'rollout-report', id },
      summary: `Rollout report draft ${id} generated, as of ${at.toISOString()}`,
      changes: { at: at.toISOString() },
    });
    return this.get(id);
  }

  /**
   * The draft of a month (YYYY-MM), as of the first instant of the next month, unless it exists:
   * its id is the claim, so the job running twice (or in two processes) makes one. True if made now.
   */
  async monthly(month: string, ctx: ActionContext): Promise<boolean> {
    if (!MONTH.test(month)) throw new Error(`not a month: ${month}`);
    const id = `rpt_${month}`;
    if (await this.repo.byId(id)) return false;
    const at = endOfMonth(month);
    const input = await this.source.gather(at);
    const made = await this.repo.insert({
      _id: id,
      kind: 'monthly',
      month,
      at,
      input,
      createdBy: ctx.actor.id,
    });
    if (!made) return false;
    await this.audit.recordOnce(ctx, {
      key: `rollout-report-monthly:${month}`,
      action: 'rollout.report.generate',
      target: { kind: 'rollout-report', id },
      summary: `Monthly rollout report draft for ${month} generated`,
      changes: { at: at.toISOString(), month },
    });
    this.log.info({ report: id }, 'monthly rollout report drafted');
    return true;
  }

  async list(limit = 100): Promise<ReportSummary[]> {
    const reports = await this.repo.list(limit);
    const pubs = new Map((await this.repo.publicationsOf(reports.map((r) => r._id))).map((p) => [p._id, p]));
    return reports.map((r) => summary(r, pubs.get(r._id) ?? null));
  }

  async get(id: string): Promise<ReportSummary> {
    const [r, p] = await Promise.all([this.repo.byId(id), this.repo.publication(id)]);
    if (!r) throw notFound('rollout-report', id);
    return summary(r, p);
  }

  /** The report's HTML or PDF: a published version as stored, a draft rendered now from its input. */
  async file(id: string, format: ReportFormat): Promise<ReportFile> {
    const [r, p] = await Promise.all([this.repo.byId(id), this.repo.publication(id)]);
    if (!r) throw notFound('rollout-report', id);
    if (p) return this.stored(p, format);
    const html = await renderReport(r.input, { status: 'draft', id });
    const bytes = format === 'html' ? Buffer.from(html) : await this.printer.print(html);
    return { bytes, format, sha256: null, id };
  }

  private async stored(p: PublicationDoc, format: ReportFormat): Promise<ReportFile> {
    const hash = format === 'html' ? p.sha256Html : p.sha256Pdf;
    const bytes = await this.files.read(hash, format);
    if (!bytes) {
      this.log.error({ report: p._id, format }, 'published report file missing or changed');
      throw new AppError(
        'rollout-report-damaged',
        `The stored ${format.toUpperCase()} of ${p._id} is missing or changed`,
      );
    }
    return { bytes, format, sha256: hash, id: p._id };
  }

  /**
   * Publishes a draft: renders it (its stored input, so it shows what was previewed) as HTML and
   * PDF, stores both write-once, claims the publication, audits the hashes and announces it.
   */
  async publish(id: string, ctx: ActionContext): Promise<ReportSummary> {
    const [r, existing] = await Promise.all([this.repo.byId(id), this.repo.publication(id)]);
    if (!r) throw notFound('rollout-report', id);
    if (existing)
      throw new AppError(
        'rollout-report-published',
        `${id} was published on ${existing.publishedAt.toISOString()}`,
      );
    const publishedAt = this.now();
    const html = Buffer.from(await renderReport(r.input, { status: 'published', publishedAt, id }));
    const pdf = await this.printer.print(html.toString());
    const [sha256Html, sha256Pdf] = [
      await this.files.store(html, 'html'),
      await this.files.store(pdf, 'pdf'),
    ];
    const claimed = await this.repo.publish({
      _id: id,
      sha256Html,
      sha256Pdf,
      bytesHtml: html.length,
      bytesPdf: pdf.length,
      publishedBy: ctx.actor.id,
      publishedAt,
    });
    if (!claimed)
      throw new AppError('rollout-report-published', `${id} was published by someone else just now`);
    await this.audit.recordOnce(ctx, {
      key: `rollout-report-published:${id}`,
      action: 'rollout.report.publish',
      target: { kind: 'rollout-report', id },
      summary: `Rollout report ${id} published (HTML sha256 ${sha256Html}, PDF sha256 ${sha256Pdf})`,
      changes: { sha256Html, sha256Pdf, bytesHtml: html.length, bytesPdf: pdf.length },
    });
    this.events.publish('rollout.report-published', { report: id, month: r.month, sha256Html, sha256Pdf });
    return this.get(id);
  }

  /** A published version for the public (PUBLIC_REPORTS); id `latest`: the most recently published. */
  async publicFile(id: string, format: ReportFormat): Promise<ReportFile> {
    if (!this.opts.publicReports) throw new AppError('route-not-found', 'No such route');
    const p = id === 'latest' ? await this.repo.latestPublication() : await this.repo.publication(id);
    if (!p) throw notFound('rollout-report', id === 'latest' ? 'no report is published yet' : id);
    return this.stored(p, format);
  }
}
