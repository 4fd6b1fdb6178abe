import { z } from 'zod';

/** `?limit=&offset=` on every list; results come back as { items, total, limit, offset }. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/**
 * `?q=`: the text a register's search box sends. Matched as a case-insensitive "contains" on one or
 * two fields: FerretDB v1 scans for anything but an `_id` lookup anyway, and registers hold a few
 * thousand records at most (a force: 1,500 cameras, 1,300 officers).
 */
export const SearchText = z.string().trim().min(1).max(50);

/** The query operator for "contains `text`, any case", with the text taken literally. */
export const containsText = (text: string) => ({
  $regex: text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  $options: 'i',
});
