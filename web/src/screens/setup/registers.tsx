// The four registers set-up edits: their columns and their form fields, as the API's schemas
// state them (src/people/people.schemas.ts, src/fleet/fleet.schemas.ts).
import { QUALIFICATIONS } from '../../../../src/shared/qualifications.js';
import type { z } from 'zod';
import type { DockResponse } from '../../../../src/fleet/fleet.responses.js';
import type { OfficerResponse } from '../../../../src/people/people.responses.js';
import type { Camera, Station } from '../../lib/types.js';
import { href } from '../../route.js';
import type { FieldSpec } from './common.js';
import type { Column } from './Register.js';

export type Dock = z.infer<typeof DockResponse>;
export type Officer = OfficerResponse;

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');

export const STATION_FIELDS: FieldSpec[] = [
  {
    name: 'code',
    label: 'Code',
    key: true,
    required: true,
    pattern: '[A-Z0-9]{2,10}',
    hint: 'Upper-case letters and digits, 2–10 (e.g. HQ, NORTH1)',
  },
  { name: 'name', label: 'Name', required: true },
];
export const STATION_COLUMNS: Column<Station>[] = [
  { label: 'Code', value: (s) => s.code },
  { label: 'Name', value: (s) => s.name },
];

export const DOCK_FIELDS: FieldSpec[] = [
  {
    name: 'id',
    label: 'Dock id',
    key: true,
    required: true,
    pattern: '[A-Za-z0-9\\-]{2,40}',
    hint: 'As printed on the dock: letters, digits or dashes',
  },
  { name: 'station', label: 'Station', kind: 'station', required: true },
  { name: 'slots', label: 'Slots', kind: 'number', required: true, hint: 'Cameras it holds, 1–100' },
  { name: 'model', label: 'Model', required: true },
];
export const DOCK_COLUMNS: Column<Dock>[] = [
  { label: 'Dock', value: (d) => d.id },
  { label: 'Station', value: (d) => d.station },
  { label: 'Slots', value: (d) => d.slots },
  { label: 'Model', value: (d) => d.model },
];

export const CAMERA_FIELDS: FieldSpec[] = [
  {
    name: 'serial',
    label: 'Serial',
    key: true,
    required: true,
    pattern: '[A-Za-z0-9\\-]{3,40}',
    hint: 'The manufacturer’s serial (what the label’s QR code holds)',
  },
  { name: 'model', label: 'Model', required: true },
  { name: 'assetTag', label: 'Asset tag', required: true, pattern: '[A-Za-z0-9\\-]{1,40}' },
  {
    name: 'station',
    label: 'Station',
    kind: 'station',
    required: true,
    createOnly: true,
    hint: 'Once registered, only a transfer moves it',
  },
  { name: 'purchaseDate', label: 'Purchase date', kind: 'date', empty: 'null' },
  { name: 'purchaseCost', label: 'Purchase cost (£)', kind: 'number', empty: 'null' },
  { name: 'notes', label: 'Notes', kind: 'textarea', empty: 'blank' },
];
export const CAMERA_COLUMNS: Column<Camera>[] = [
  { label: 'Serial', value: (c) => <a href={href('fleet', 'camera', c.serial)}>{c.serial}</a> },
  { label: 'Asset tag', value: (c) => c.assetTag },
  { label: 'Model', value: (c) => c.model },
  { label: 'Station', value: (c) => c.station },
  { label: 'Status', value: (c) => c.status.replace('_', ' ') },
  { label: 'Bought', value: (c) => day(c.purchaseDate) },
];

export const OFFICER_FIELDS: FieldSpec[] = [
  {
    name: 'number',
    label: 'Officer number',
    key: true,
    required: true,
    pattern: '[A-Za-z0-9\\-]{1,20}',
    hint: 'Collar or payroll number, as on the warrant card',
  },
  { name: 'name', label: 'Name', required: true },
  { name: 'station', label: 'Station', kind: 'station', required: true },
  { name: 'team', label: 'Team', empty: 'null' },
  { name: 'qualifications', label: 'Qualifications', kind: 'checks', options: QUALIFICATIONS },
  { name: 'active', label: 'Active (may be issued a camera)', kind: 'check' },
];
export const OFFICER_COLUMNS: Column<Officer>[] = [
  { label: 'Number', value: (o) => o.number },
  { label: 'Name', value: (o) => o.name },
  { label: 'Station', value: (o) => o.station },
  { label: 'Team', value: (o) => o.team ?? '—' },
  { label: 'Qualifications', value: (o) => o.qualifications.join(', ') || '—' },
  { label: 'Active', value: (o) => (o.active ? 'yes' : 'no') },
];
