// Building blocks of the response schemas (each capability's `*.responses.ts`): the API reference
// describes answers with them, and the web app takes its types from them (`z.infer`). They import
// nothing but zod, so the dashboard's type-check and build can read them.
import { z } from 'zod';

/** A Date as JSON writes it. */
export const Timestamp = z.iso.datetime();

/** The envelope of every list with `?limit=&offset=` (src/shared/paging.ts). */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int().meta({ description: 'How many match, across all pages' }),
    limit: z.number().int(),
    offset: z.number().int(),
  });
