// The firmware screens' pure logic (web/src/lib/firmware): progress by state, waiting and failure
// reasons grouped, the preview in words, version ranges, the campaign form, the two-person rule,
// problems with their fields, and maintenance windows in words.
import { describe, expect, it } from '@jest/globals';
import {
  campaignBody,
  DEFAULT_FORM,
  parseDeviceList,
  parseGroups,
} from '../../web/src/lib/firmware/campaign-form.js';
import { complianceTotals, modelVersions } from '../../web/src/lib/firmware/compliance.js';
import { previewSummary } from '../../web/src/lib/firmware/preview.js';
import { fieldErrors, showProblem } from '../../web/src/lib/firmware/problems.js';
import {
  breakdown,
  countsLine,
  successRate,
  tally,
  wavePlan,
  waveTitle,
} from '../../web/src/lib/firmware/progress.js';
import { generalReason, groupReasons } from '../../web/src/lib/firmware/reasons.js';
import { campaignActions, pendingApproval, twoPersonMessage } from '../../web/src/lib/firmware/rules.js';
import type { CampaignSummary, Preview } from '../../web/src/lib/firmware/types.js';
import {
  byVersionDesc,
  describeRange,
  inRange,
  isVersion,
  olderThan,
  rangeProblem,
  versionsInRange,
} from '../../web/src/lib/firmware/versions.js';
import {
  describeDays,
  describeWindow,
  orderDays,
  windowProblem,
} from '../../web/src/lib/firmware/windows.js';

describe('campaign progress', () => {
  const counts = {
    succeeded: 40,
    failed: 3,
    downloading: 5,
    installing: 2,
    'retry-wait': 1,
    waiting: 12,
    pending: 80,
  } as const;

  it('tallies finished, in flight, waiting and not started against the total', () => {
    expect(tally(counts, 150)).toEqual({
      total: 150,
      succeeded: 40,
      failed: 3,
      canceled: 0,
      inFlight: 8,
      waiting: 12,
      pending: 80,
      finished: 43,
      percentFinished: 28,
    });
    // Without a total, the counts are the total; nothing at all is 0 %, not NaN.
    expect(tally(counts).total).toBe(143);
    expect(tally({}).percentFinished).toBe(0);
  });

  it('says the counts in one line, zeros left out, and lists states in the order updates move', () => {
    expect(countsLine(counts)).toBe('40 succeeded · 3 failed · 8 in progress · 12 waiting · 80 not started');
    expect(countsLine({ canceled: 2, succeeded: 0 })).toBe('2 canceled');
    expect(countsLine({})).toBe('no devices');
    expect(breakdown(counts).map((r) => `${r.label} ${r.count}`)).toEqual([
      'not started 80',
      'waiting 12',
      'downloading 5',
      'installing 2',
      'retrying soon 1',
      'succeeded 40',
      'failed 3',
    ]);
  });

  it('rates success over finished devices only (waiting and canceled do not count)', () => {
    expect(successRate({ succeeded: 7, failed: 3, waiting: 90, canceled: 5 })).toBe(70);
    expect(successRate({ succeeded: 19, failed: 1 })).toBe(95);
    expect(successRate({ waiting: 4, downloading: 1 })).toBeNull();
  });

  it('names the canary and the waves after it, and a wave plan in one line', () => {
    expect(waveTitle({ index: 0, size: 5, status: 'done' }, 3)).toBe('Canary · 5 devices · done');
    expect(waveTitle({ index: 2, size: 1, status: 'awaiting-approval' }, 3)).toBe(
      'Wave 2 of 2 · 1 device · waiting for approval',
    );
    expect(waveTitle({ index: 0, size: 30, status: 'running' }, 2, false)).toBe(
      'Wave 1 of 2 · 30 devices · running',
    );
    expect(wavePlan([5, 34, 103])).toBe('canary 5, then 34 and 103');
    expect(wavePlan([5, 10, 20, 30])).toBe('canary 5, then 10, 20 and 30');
    expect(wavePlan([5, 95])).toBe('canary 5, then 95');
    expect(wavePlan([12])).toBe('one wave of 12');
    expect(wavePlan([])).toBe('no waves');
  });
});

describe('reasons devices wait, fail or are left out', () => {
  it('generalises officers, campaigns, percentages, versions and seconds', () => {
    expect(generalReason('officer O123 is on shift')).toBe('an officer is on shift');
    expect(generalReason('issued to officer PC-4411')).toBe('issued to an officer');
    expect(generalReason("already in campaign 'VB400 spring'")).toBe('already in another campaign');
    expect(generalReason('already in campaign c0ffee12')).toBe('already in another campaign');
    expect(generalReason('battery 12% below 50%')).toBe('battery N% below N%');
    expect(generalReason('came back on 2.3.0')).toBe('came back on a version');
    expect(generalReason('no report for 900 s after rebooting')).toBe('no report for N s after rebooting');
  });

  it('groups reasons by cause, largest first, keeping the device’s own words when a group has one', () => {
    const groups = groupReasons([
      { reason: 'officer O1 is on shift', count: 3 },
      { reason: 'officer O2 is on shift', count: 1 },
      { reason: 'outside the maintenance window', count: 5 },
      { reason: 'officer O3 is on shift', count: 2 },
      { reason: 'offline', count: 1 },
    ]);
    expect(groups).toEqual([
      {
        reason: 'an officer is on shift',
        count: 6,
        examples: ['officer O1 is on shift', 'officer O3 is on shift', 'officer O2 is on shift'],
      },
      { reason: 'outside the maintenance window', count: 5, examples: ['outside the maintenance window'] },
      { reason: 'offline', count: 1, examples: ['offline'] },
    ]);
    // One row per device (failures, exclusions) counts one each.
    expect(groupReasons([{ reason: 'came back on 2.3.0' }, { reason: 'came back on 2.3.0' }])).toEqual([
      { reason: 'came back on 2.3.0', count: 2, examples: ['came back on 2.3.0'] },
    ]);
  });
});

describe('the preview before creating a campaign', () => {
  const preview: Preview = {
    total: 143,
    byStation: [
      { station: 'S01', count: 63 },
      { station: 'N01', count: 80 },
    ],
    byVersion: [
      { version: '2.2.0', count: 3 },
      { version: '2.3.0', count: 140 },
    ],
    waves: [
      { index: 0, size: 5 },
      { index: 1, size: 35 },
      { index: 2, size: 103 },
    ],
    excluded: [
      { device: 'CAM-1', reason: 'never reported a version' },
      { device: 'CAM-2', reason: "already in campaign 'Dock 1.3.0'" },
      { device: 'CAM-3', reason: 'already in campaign c1' },
    ],
    excludedCount: 130,
    sample: ['CAM-9'],
  };

  it('says how many devices, where, from which versions and in which waves', () => {
    const s = previewSummary(preview);
    expect(s.empty).toBe(false);
    expect(s.headline).toBe('143 cameras at 2 stations will be updated.');
    expect(s.stations).toBe('N01 (80), S01 (63)');
    expect(s.versions).toBe('2.3.0 (140), 2.2.0 (3)');
    expect(s.waves).toBe('canary 5, then 35 and 103');
  });

  it('groups who is left out and why, counting those beyond the listed hundred', () => {
    const s = previewSummary(preview);
    expect(s.excludedLine).toBe('130 left out');
    expect(s.excluded.map((g) => [g.reason, g.count])).toEqual([
      ['already in another campaign', 2],
      ['never reported a version', 1],
      ['others not listed', 127],
    ]);
  });

  it('says plainly when nothing would be updated', () => {
    const s = previewSummary(
      { ...preview, total: 0, byStation: [], byVersion: [], waves: [], excluded: [], excludedCount: 0 },
      'dock',
    );
    expect(s.empty).toBe(true);
    expect(s.headline).toBe('No dock would be updated: change the selection.');
    expect(s.excludedLine).toBeNull();
    expect(previewSummary({ ...preview, total: 1, byStation: [{ station: 'N01', count: 1 }] }).headline).toBe(
      '1 camera at 1 station will be updated.',
    );
  });
});

describe('versions and ranges', () => {
  it('knows a semantic version as the API does', () => {
    expect(['1.2.3', '2.4.0-rc.1', '10.0.0+build.7'].every(isVersion)).toBe(true);
    expect(['d-1.3.0', '1.2', '01.2.3', '', 'v1.2.3'].some(isVersion)).toBe(false);
  });

  it('orders versions highest first, by semver not by text, odd ones last', () => {
    expect(['2.10.0', '2.9.1', 'd-1.3.0', '2.10.0-rc.1', '1.0.0'].sort(byVersionDesc)).toEqual([
      '2.10.0',
      '2.10.0-rc.1',
      '2.9.1',
      '1.0.0',
      'd-1.3.0',
    ]);
  });

  it('checks a range and says what is wrong with one it cannot use', () => {
    expect(rangeProblem('')).toBeNull();
    expect(rangeProblem('<2.4.0')).toBeNull();
    expect(rangeProblem('>=2.0.0 <2.4.0')).toBeNull();
    expect(rangeProblem('2.3.x || 2.2.1')).toBeNull();
    expect(rangeProblem('older than 2')).toMatch(/not a version range/);
    expect(rangeProblem(`<${'9'.repeat(120)}`)).toBe('at most 100 characters');
  });

  it('shows which running versions a range takes in, without the target', () => {
    const running = [
      { version: '2.2.0', count: 80 },
      { version: '2.4.1', count: 500 },
      { version: '2.3.0', count: 900 },
      { version: 'd-1.3.0', count: 2 },
    ];
    expect(versionsInRange(running, '<2.4.1', '2.4.1').map((v) => v.version)).toEqual(['2.3.0', '2.2.0']);
    expect(versionsInRange(running, '', '2.4.1').map((v) => v.version)).toEqual(['2.3.0', '2.2.0']);
    expect(versionsInRange(running, '>=2.3.0').map((v) => v.version)).toEqual(['2.4.1', '2.3.0']);
    expect(versionsInRange(running, 'nonsense')).toEqual([]);
    expect(inRange('d-1.3.0', '')).toBe(false);
    expect(olderThan('2.4.1')).toBe('<2.4.1');
    expect(olderThan('latest')).toBe('');
    expect(describeRange(null)).toBe('any version');
    expect(describeRange(' <2.4.1 ')).toBe('versions <2.4.1');
  });
});

describe('the campaign form', () => {
  it('reads wave groups as percentages that must add up to 100', () => {
    expect(parseGroups('25, 75')).toEqual({ groups: [25, 75] });
    expect(parseGroups('10% 20% 70%')).toEqual({ groups: [10, 20, 70] });
    expect(parseGroups('100')).toEqual({ groups: [100] });
    expect(parseGroups('50, 40')).toEqual({ error: 'the groups add up to 90%, not 100%' });
    expect(parseGroups('50.5, 49.5')).toEqual({ error: 'each group is a whole percentage from 1 to 100' });
    expect(parseGroups('0, 100')).toEqual({ error: 'each group is a whole percentage from 1 to 100' });
    expect(parseGroups(' ')).toEqual({ error: 'give at least one group, e.g. 100 or 25, 75' });
  });

  it('reads a pasted list of devices, without repeats', () => {
    expect(parseDeviceList('CAM-1\nCAM-2, CAM-1;  DOCK_3 ')).toEqual(['CAM-1', 'CAM-2', 'DOCK_3']);
    expect(parseDeviceList('')).toEqual([]);
  });

  it('builds the body the API takes', () => {
    const r = campaignBody({
      ...DEFAULT_FORM,
      name: ' Spring ',
      model: 'VB400',
      artifact: 'a1b2c3d4e5f6',
      fromRange: ' <2.4.1 ',
      stations: ['N01'],
      devices: 'CAM-1 CAM-2',
      errorPercent: '',
    });
    expect(r).toEqual({
      body: {
        name: 'Spring',
        kind: 'camera',
        model: 'VB400',
        artifact: 'a1b2c3d4e5f6',
        fromRange: '<2.4.1',
        stations: ['N01'],
        devices: ['CAM-1', 'CAM-2'],
        canarySize: 5,
        groups: [25, 75],
        successThreshold: 95,
        errorThreshold: { count: 5, percent: null },
        approveEachWave: false,
        stepTimeoutS: 900,
        maxRetries: 3,
        minBattery: 50,
      },
    });
    const any = campaignBody({ ...DEFAULT_FORM, name: 'x', model: 'm', artifact: 'a' });
    expect('body' in any && any.body.fromRange).toBeNull();
  });

  it('names each field it cannot send, by the names the API uses', () => {
    const r = campaignBody({
      ...DEFAULT_FORM,
      fromRange: 'soon',
      devices: 'CAM/1',
      groups: '50',
      canarySize: '-1',
      successThreshold: '101',
      errorCount: '',
      errorPercent: '',
      stepTimeoutS: '1.5',
    });
    expect('errors' in r && Object.keys(r.errors).sort()).toEqual([
      'artifact',
      'canarySize',
      'devices',
      'errorThreshold',
      'fromRange',
      'groups',
      'model',
      'name',
      'stepTimeoutS',
      'successThreshold',
    ]);
    expect('errors' in r && r.errors.errorThreshold).toMatch(/must be able to stop itself/);
  });
});

describe('who may do what to a campaign', () => {
  const it1 = { username: 'it-ann', role: 'it' as const };
  const it2 = { username: 'it-bob', role: 'it' as const };
  const auditor = { username: 'aud', role: 'auditor' as const };
  const campaign = (
    c: Partial<CampaignSummary> & {
      waves?: Array<{ index: number; status: 'pending' | 'running' | 'awaiting-approval' | 'done' }>;
    },
  ) => ({
    status: 'awaiting-approval' as const,
    createdBy: 'it-ann',
    counts: {},
    ...c,
  });

  it('lets someone other than the creator approve, and tells the creator why they cannot', () => {
    const c = campaign({});
    expect(campaignActions(c, it2)).toMatchObject({
      approve: { wave: null },
      ownCampaign: false,
      cancel: true,
    });
    expect(campaignActions(c, it1)).toMatchObject({ approve: null, ownCampaign: true, cancel: true });
    expect(twoPersonMessage(c, it1)).toBe(
      'You created this campaign, so someone else in IT (or an admin) must approve this campaign. ' +
        'Two people check every campaign before it reaches a device: the two-person rule.',
    );
    expect(twoPersonMessage(c, it2, 2)).toMatch(
      /^it-ann created this campaign, so .* must approve wave 2 of this campaign/,
    );
  });

  it('applies the same rule to a wave held for approval', () => {
    const c = campaign({
      status: 'running',
      waves: [
        { index: 0, status: 'done' },
        { index: 1, status: 'awaiting-approval' },
      ],
    });
    expect(pendingApproval(c)).toEqual({ wave: 1 });
    expect(campaignActions(c, it2)).toMatchObject({ approve: { wave: 1 }, pause: true, resume: false });
    expect(campaignActions(c, it1)).toMatchObject({ approve: null, ownCampaign: true, pause: true });
    expect(
      pendingApproval(campaign({ status: 'running', waves: [{ index: 0, status: 'running' }] })),
    ).toBeNull();
    expect(pendingApproval(campaign({ status: 'completed' }))).toBeNull();
  });

  it('offers resume when paused, rollback once it has updated someone, nothing once it is over', () => {
    expect(campaignActions(campaign({ status: 'paused', counts: { succeeded: 3 } }), it1)).toMatchObject({
      pause: false,
      resume: true,
      cancel: true,
      rollback: true,
    });
    expect(campaignActions(campaign({ status: 'completed', counts: { succeeded: 3 } }), it1)).toEqual({
      approve: null,
      ownCampaign: false,
      pause: false,
      resume: false,
      cancel: false,
      rollback: true,
    });
    expect(campaignActions(campaign({ status: 'canceled', counts: { failed: 3 } }), it1).rollback).toBe(
      false,
    );
    expect(campaignActions(campaign({ status: 'running', counts: { succeeded: 3 } }), it1).rollback).toBe(
      false,
    );
  });

  it('offers the auditor nothing at all, and admins what IT gets', () => {
    for (const status of ['awaiting-approval', 'running', 'paused', 'completed'] as const)
      expect(Object.values(campaignActions(campaign({ status, counts: { succeeded: 1 } }), auditor))).toEqual(
        [null, false, false, false, false, false],
      );
    expect(campaignActions(campaign({}), { username: 'root', role: 'admin' }).approve).toEqual({
      wave: null,
    });
    expect(campaignActions(campaign({}), { username: 'desk', role: 'stores' }).approve).toBeNull();
  });
});

describe('problems from the API', () => {
  it('shows the title with the detail, advice for firmware refusals, and each field by name', () => {
    const shown = showProblem({
      type: '/problems/validation-failed',
      title: 'The request is not valid',
      detail: 'Invalid body',
      errors: [
        { path: 'body.groups', message: 'must sum to 100' },
        { path: 'body.errorThreshold.count', message: 'Too small' },
        { path: 'query.version', message: 'a semantic version (1.2.3)' },
      ],
    });
    expect(shown.headline).toBe('The request is not valid: Invalid body');
    expect(shown.advice).toBeNull();
    expect(shown.fields.map((f) => `${f.field} (${f.path}): ${f.message}`)).toEqual([
      'groups (body.groups): must sum to 100',
      'errorThreshold.count (body.errorThreshold.count): Too small',
      'version (query.version): a semantic version (1.2.3)',
    ]);
    const own = showProblem({
      type: '/problems/firmware-approval-own-campaign',
      title: 'You cannot approve your own campaign',
      detail: 'it-ann created it',
    });
    expect(own.advice).toMatch(/two-person rule/);
    expect(
      showProblem({ type: '/problems/forbidden', title: 'Not allowed', detail: 'Not allowed' }).headline,
    ).toBe('Not allowed');
  });

  it('marks each form field once, by its top-level name', () => {
    expect(
      fieldErrors({
        errors: [
          { path: 'body.groups.1', message: 'Too big' },
          { path: 'body.groups', message: 'must sum to 100' },
          { path: 'body.name', message: 'Required' },
          { path: 'query.signature', message: 'base64' },
        ],
      }),
    ).toEqual({ groups: 'groups.1: Too big', name: 'Required', signature: 'base64' });
    expect(fieldErrors(null)).toEqual({});
  });
});

describe('compliance', () => {
  it('adds up current, behind and blocked devices across stations', () => {
    expect(
      complianceTotals({
        byStation: [
          { station: 'N01', kind: 'camera', model: 'VB400', current: 6, behind: 3, blocked: 1, unknown: 0 },
          { station: 'S01', kind: 'dock', model: 'D', current: 10, behind: 0, blocked: 0, unknown: 2 },
        ],
      }),
    ).toEqual({ devices: 20, current: 16, behind: 3, blocked: 1, percentCurrent: 80 });
    expect(complianceTotals({ byStation: [] }).percentCurrent).toBe(100);
  });

  it('lists a model’s versions highest first, with its devices', () => {
    const m = modelVersions({
      kind: 'camera',
      model: 'VB400',
      latest: '2.4.1',
      versions: [
        { version: '2.3.0', count: 9, status: 'approved' },
        { version: '2.5.0', count: 1, status: 'unreviewed' },
        { version: '2.4.1', count: 5, status: 'approved' },
        { version: '2.2.0', count: 2, status: 'blocked' },
      ],
    });
    expect(m.versions.map((v) => v.version)).toEqual(['2.5.0', '2.4.1', '2.3.0', '2.2.0']);
    expect(m.latest).toBe('2.4.1');
    expect(m.devices).toBe(17);
    expect(modelVersions({ kind: 'dock', model: 'D', latest: null, versions: [] }).devices).toBe(0);
  });
});

describe('maintenance windows', () => {
  it('says days as spans and lists', () => {
    expect(describeDays(['mon', 'tue', 'wed', 'thu', 'fri'])).toBe('Mon–Fri');
    expect(describeDays(['sat', 'sun'])).toBe('Sat, Sun');
    expect(describeDays(['mon', 'wed', 'thu', 'fri'])).toBe('Mon, Wed–Fri');
    expect(describeDays(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'])).toBe('Every day');
    expect(describeDays([])).toBe('No day');
    expect(orderDays(['sun', 'mon', 'sun'])).toEqual(['mon', 'sun']);
  });

  it('says when a window crosses midnight, and refuses one that cannot be right', () => {
    expect(describeWindow({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '23:00', end: '05:00' })).toBe(
      'Mon–Fri 23:00–05:00 (ends the next day)',
    );
    expect(describeWindow({ days: ['sat'], start: '01:00', end: '04:30' })).toBe('Sat 01:00–04:30');
    expect(windowProblem({ days: ['sat'], start: '01:00', end: '04:30' })).toBeNull();
    expect(windowProblem({ days: [], start: '01:00', end: '04:30' })).toBe('choose at least one day');
    expect(windowProblem({ days: ['sat'], start: '1:00', end: '04:30' })).toMatch(/HH:MM/);
    expect(windowProblem({ days: ['sat'], start: '24:00', end: '04:30' })).toMatch(/HH:MM/);
    // The API's rules: the same time twice is the whole day; 24:00 ends one.
    expect(windowProblem({ days: ['sat'], start: '03:00', end: '03:00' })).toBeNull();
    expect(describeWindow({ days: ['sat', 'sun'], start: '03:00', end: '03:00' })).toBe('Sat, Sun, all day');
    expect(windowProblem({ days: ['sat'], start: '22:00', end: '24:00' })).toBeNull();
    expect(describeWindow({ days: ['sat'], start: '22:00', end: '24:00' })).toBe('Sat 22:00–24:00');
    expect(describeWindow({ days: ['mon'], start: '00:00', end: '24:00' })).toBe('Mon, all day');
  });
});
