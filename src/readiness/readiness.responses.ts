// What GET /stations/:code/readiness answers: the API reference's response schema. The live feed
// sends the same board (realtime/events.ts); the check below keeps the two the same shape.
import { z } from 'zod';
import type { ReadinessBoard } from '../realtime/events.js';

const Rag = z.enum(['green', 'amber', 'red']);

const OfficerRow = z.object({
  officer: z.string(),
  name: z.string(),
  camera: z.string().nullable(),
  cameraHealth: z
    .enum(['ok', 'warning', 'fault', 'offline', 'unknown'])
    .nullable()
    .meta({ description: "The camera's health as the fleet list and GET /cameras/{serial} show it" }),
  rag: Rag,
  reasons: z.array(z.string()).meta({ description: 'Why not green; empty when green' }),
  battery: z.number().nullable(),
  batteryMinutesLeft: z.number().nullable(),
  inScope: z
    .boolean()
    .meta({ description: 'In the rollout scope (everyone while no rollout phase has started)' }),
});

export const ReadinessBoardResponse = z
  .object({
    station: z.string(),
    at: z.iso.datetime(),
    shift: z
      .object({ id: z.string(), team: z.string(), start: z.iso.datetime(), end: z.iso.datetime() })
      .nullable(),
    officers: z.array(OfficerRow).meta({ description: 'On duty and counted (in the rollout scope)' }),
    outOfScope: z
      .array(OfficerRow)
      .meta({ description: 'On duty but not in the rollout scope: shown apart, not counted' }),
    scoped: z.boolean().meta({ description: 'A rollout phase has started, so scope applies' }),
    working: z.number().int().meta({ description: 'In-scope officers on shift with a working camera' }),
    onDuty: z.number().int().meta({ description: 'In-scope officers on shift' }),
  })
  .meta({ id: 'ReadinessBoard' });

// Compile-time: the schema and the live feed's type describe the same board, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameBoard: Same<z.infer<typeof ReadinessBoardResponse>, ReadinessBoard> = true;
void sameBoard;
