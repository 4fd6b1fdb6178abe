// Reads a text/csv request body inside the route handler, i.e. only after the route has
// authorised the caller, so an unauthenticated or read-only client cannot make us buffer
// megabytes. Used by the CSV imports.
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { fromZod } from '../errors.js';

const parser = express.text({ type: 'text/csv', limit: '5mb' });
const CsvText = z.string({ error: 'send the CSV as text/csv' }).min(1, 'empty CSV');

/** `?dryRun=true` on every import: report row by row, change nothing. */
export const ImportQuery = z.object({ dryRun: z.stringbool().default(false) });

export async function readCsvBody(req: Request, res: Response): Promise<string> {
  // body-parser's errors (too large, bad charset) are Errors; the problem handler maps them.
  await new Promise<void>((resolve, reject) =>
    parser(req, res, (err?: Error) => (err ? reject(err) : resolve())),
  );
  const parsed = CsvText.safeParse(req.body);
  if (!parsed.success) throw fromZod('body', parsed.error);
  return parsed.data;
}
