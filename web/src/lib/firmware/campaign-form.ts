// The campaign form: what people type ("25, 75", a pasted list of serials) turned into the body
// POST /firmware/campaigns and …/preview take, with the problems found before asking the API.
import { rangeProblem } from './versions.js';
import type { CampaignBody, DeviceKind } from './types.js';

/** The form's fields as typed (strings from inputs; checkboxes as booleans). */
export interface CampaignForm {
  name: string;
  kind: DeviceKind;
  model: string;
  artifact: string;
  fromRange: string;
  stations: string[];
  devices: string;
  canarySize: string;
  groups: string;
  successThreshold: string;
  errorCount: string;
  errorPercent: string;
  approveEachWave: boolean;
  stepTimeoutS: string;
  maxRetries: string;
  minBattery: string;
}

/** Defaults a careful IT team would start from: a small canary, then a quarter, then the rest. */
export const DEFAULT_FORM: CampaignForm = {
  name: '',
  kind: 'camera',
  model: '',
  artifact: '',
  fromRange: '',
  stations: [],
  devices: '',
  canarySize: '5',
  groups: '25, 75',
  successThreshold: '95',
  errorCount: '5',
  errorPercent: '10',
  approveEachWave: false,
  stepTimeoutS: '900',
  maxRetries: '3',
  minBattery: '50',
};

/** "25, 75" or "25 75" → [25, 75]; whole percentages of the devices after the canary, summing to 100. */
export function parseGroups(text: string): { groups: number[] } | { error: string } {
  const parts = text
    .split(/[\s,;]+/)
    .map((p) => p.replace(/%$/, ''))
    .filter(Boolean);
  if (parts.length === 0) return { error: 'give at least one group, e.g. 100 or 25, 75' };
  const groups = parts.map(Number);
  if (groups.some((g) => !Number.isInteger(g) || g < 1 || g > 100))
    return { error: 'each group is a whole percentage from 1 to 100' };
  const total = groups.reduce((a, b) => a + b, 0);
  if (total !== 100) return { error: `the groups add up to ${total}%, not 100%` };
  return { groups };
}

/** Serials or dock ids pasted any way (lines, commas, spaces), without repeats, in order. */
export function parseDeviceList(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter(Boolean))];
}

const DEVICE_ID = /^[A-Za-z0-9_-]{1,40}$/;

const whole = (text: string, min: number, max: number): number | null => {
  const v = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(v) && v >= min && v <= max ? v : null;
};

/**
 * The request body, or the problems by field name (the same names the API's `errors` paths use,
 * so both mark the same inputs).
 */
export function campaignBody(f: CampaignForm): { body: CampaignBody } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const need = <T>(field: string, v: T | null, message: string): T => {
    if (v === null) errors[field] = message;
    return v as T;
  };
  const name = f.name.trim();
  if (!name) errors.name = 'give the campaign a name';
  else if (name.length > 100) errors.name = 'at most 100 characters';
  if (!f.model.trim()) errors.model = 'choose a model';
  if (!f.artifact) errors.artifact = 'choose the firmware to install';
  const range = rangeProblem(f.fromRange);
  if (range) errors.fromRange = range;
  const devices = parseDeviceList(f.devices);
  const bad = devices.find((d) => !DEVICE_ID.test(d));
  if (bad) errors.devices = `'${bad}' is not a serial or dock id`;
  const groups = parseGroups(f.groups);
  if ('error' in groups) errors.groups = groups.error;
  const errorCount = f.errorCount.trim() ? whole(f.errorCount, 1, 100_000) : undefined;
  const errorPercent = f.errorPercent.trim() ? whole(f.errorPercent, 1, 100) : undefined;
  if (errorCount === null) errors.errorThreshold = 'the error count is a whole number of devices, 1 or more';
  else if (errorPercent === null) errors.errorThreshold = 'the error percentage is from 1 to 100';
  else if (errorCount === undefined && errorPercent === undefined)
    errors.errorThreshold = 'give a count, a percentage or both: a campaign must be able to stop itself';
  const body: CampaignBody = {
    name,
    kind: f.kind,
    model: f.model.trim(),
    artifact: f.artifact,
    fromRange: f.fromRange.trim() || null,
    stations: f.stations,
    devices,
    canarySize: need('canarySize', whole(f.canarySize, 0, 10_000), 'a whole number of devices, 0 or more'),
    groups: 'groups' in groups ? groups.groups : [],
    successThreshold: need('successThreshold', whole(f.successThreshold, 1, 100), 'a percentage, 1 to 100'),
    errorThreshold: { count: errorCount ?? null, percent: errorPercent ?? null },
    approveEachWave: f.approveEachWave,
    stepTimeoutS: need('stepTimeoutS', whole(f.stepTimeoutS, 10, 86_400), 'seconds, 10 to 86400'),
    maxRetries: need('maxRetries', whole(f.maxRetries, 0, 10), 'a whole number, 0 to 10'),
    minBattery: need('minBattery', whole(f.minBattery, 0, 100), 'a percentage, 0 to 100'),
  };
  return Object.keys(errors).length ? { errors } : { body };
}
