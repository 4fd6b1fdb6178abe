// What the maintenance-window routes answer.
import { z } from 'zod';
import { Timestamp } from '../shared/responses.js';
import { WEEKDAYS } from './windows.rules.js';

export const WindowResponse = z
  .object({
    station: z.string(),
    timeZone: z.string(),
    windows: z.array(z.object({ days: z.array(z.enum(WEEKDAYS)), start: z.string(), end: z.string() })),
    updatedBy: z.string(),
    updatedAt: Timestamp,
  })
  .meta({ id: 'FirmwareMaintenanceWindow' });

export const WindowList = z.array(WindowResponse);
