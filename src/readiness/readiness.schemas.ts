// What GET /stations/:code/readiness takes: the moment to show (now by default), a chosen time, or
// the station's next shift, so an inspector checks the next shift before briefing.
import { z } from 'zod';
import { Instant } from '../http/dates.js';

export const ReadinessQuery = z
  .object({
    at: Instant.optional().meta({ description: 'The moment to show (ISO 8601); default now' }),
    shift: z
      .enum(['now', 'next'])
      .optional()
      .meta({ description: '`next`: the board at the start of the next shift (within 7 days)' }),
  })
  .refine((q) => !(q.at && q.shift === 'next'), {
    message: 'give either at or shift=next, not both',
    path: ['shift'],
  });
