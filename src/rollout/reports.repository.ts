// The reports and their publications (reports.model.ts). Every lookup of one is by _id.
import type { Connection } from '../db/connection.js';
import { isDuplicateKey } from '../db/connection.js';
import { publicationModel, reportModel, type PublicationDoc, type ReportDoc } from './reports.model.js';

export type NewReport = Omit<ReportDoc, 'createdAt' | 'updatedAt'>;

export class ReportsRepository {
  private readonly reports;
  private readonly publications;
  constructor(conn: Connection) {
    this.reports = reportModel(conn);
    this.publications = publicationModel(conn);
  }

  /** Inserts; false if a report with its id exists (the monthly draft claims its month this way). */
  async insert(r: NewReport): Promise<boolean> {
    try {
      await this.reports.create(r);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  byId(id: string) {
    return this.reports.findOne({ _id: id }).lean<ReportDoc>();
  }

  /** Newest first, without their inputs. */
  list(limit: number): Promise<Array<Omit<ReportDoc, 'input'>>> {
    return this.reports
      .find({}, { input: 0 })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .lean<Array<Omit<ReportDoc, 'input'>>>()
      .exec();
  }

  /** The claim: false if the report was already published. */
  async publish(p: PublicationDoc): Promise<boolean> {
    try {
      await this.publications.create(p);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  publication(id: string) {
    return this.publications.findOne({ _id: id }).lean<PublicationDoc>();
  }

  publicationsOf(ids: string[]): Promise<PublicationDoc[]> {
    return this.publications
      .find({ _id: { $in: ids } })
      .lean<PublicationDoc[]>()
      .exec();
  }

  latestPublication() {
    return this.publications.findOne({}).sort({ publishedAt: -1, _id: -1 }).lean<PublicationDoc>();
  }
}
