// What GET /stations/:code/readiness answers: the API reference's response schema. The live feed
// sends the same board (realtime/events.ts); the check below keeps the two the same shape.
import { z } from 'zod';
import type { ReadinessBoard } from '../realtime/events.js';

const Rag = z.enum(['green', 'amber', 'red']);

export const ReadinessBoardResponse = z
  .object({
    station: z.string(),
    at: z.iso.datetime(),
    shift: z
      .object({ id: z.string(), team: z.string(), start: z.iso.datetime(), end: z.iso.datetime() })
      .nullable(),
    officers: z.array(
      z.object({
        officer: z.string(),
        name: z.string(),
        camera: z.string().nullable(),
        rag: Rag,
        reasons: z.array(z.string()).meta({ description: 'Why not green; empty when green' }),
        battery: z.number().nullable(),
        batteryMinutesLeft: z.number().nullable(),
      }),
    ),
    working: z.number().int().meta({ description: 'Officers on shift with a working camera' }),
    onDuty: z.number().int(),
  })
  .meta({ id: 'ReadinessBoard' });

// Compile-time: the schema and the live feed's type describe the same board, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameBoard: Same<z.infer<typeof ReadinessBoardResponse>, ReadinessBoard> = true;
void sameBoard;
