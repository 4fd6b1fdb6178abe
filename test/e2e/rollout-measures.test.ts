// The rollout's measures in the browser: the readiness screen shows officers out of the rollout's
// scope apart, in a collapsed section, and counts only those in scope; a reviewer marks a clip
// evidential on the Clips screen, with a reason. Screenshots at desktop and phone widths, and axe.
// The rollout's scope is plain data here: a phase over an array, with the shared eligibility rule.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isEligible, readinessScope, type Phase } from '../../src/rollout/index.js';
import { startApp, type TestApp } from '../helpers/app.js';
import {
  screenshot,
  scrollWidth,
  seriousA11yViolations,
  signedIn,
  startChromium,
  type BrowserHandle,
} from '../helpers/browser.js';
import { newCamera, newDock, newOfficer, newShiftNow, newStation } from '../helpers/factories.js';
import { sessionFor } from '../helpers/live.js';
import { credentialsFor } from '../helpers/mqtt.js';
import { offload, sha256 } from '../helpers/offload.js';

describe('rollout measures in the browser', () => {
  let app: TestApp;
  let chromium: BrowserHandle;
  let admin: Record<string, string>;
  const phases: Phase[] = [];

  beforeAll(async () => {
    app = await startApp({ READINESS_REFRESH_S: '1', REDACTION_WORKER: 'off' });
    chromium = await startChromium();
    admin = await app.as('admin');
    const started = () => phases.filter((p) => p.status === 'active');
    app.platform.services.readiness.useScope(
      readinessScope(
        {
          active: () => Promise.resolve(started().length > 0),
          inScope: (o) => Promise.resolve(started().some((p) => isEligible(o, p.rule))),
        },
        app.platform.services.people,
      ),
    );
  }, 120_000);
  afterAll(async () => {
    await chromium?.close();
    await app?.close();
  });

  it('shows officers out of the rollout scope apart, collapsed, and does not count them', async () => {
    const station = await newStation(app, admin);
    const [afo, plain1, plain2] = await Promise.all([
      newOfficer(app, admin, { station, qualifications: ['AFO'] }),
      newOfficer(app, admin, { station }),
      newOfficer(app, admin, { station }),
    ]);
    await newShiftNow(app, admin, station, [afo, plain1, plain2]);
    const now = new Date().toISOString();
    phases.push({
      id: 'afo',
      order: 1,
      name: 'Firearms officers',
      description: '',
      rule: { qualifications: ['AFO'], teams: [], stations: [station] },
      targetHeadcount: 1,
      plannedStart: now,
      plannedEnd: now,
      issueMode: 'personal',
      sparePercent: 0,
      status: 'active',
      committed: 1000,
      approval: null,
      activatedAt: now,
      completedAt: null,
      gateReviews: [],
      createdBy: 'lead',
      createdAt: now,
      updatedAt: now,
    });
    const s = await sessionFor(app, 'inspector', station);
    const { page, problems, close } = await signedIn(chromium, app.url, s);
    const headline = page.getByTestId('headline');
    await headline.waitFor();
    expect(await headline.textContent()).toContain('0 of 1 officers in the rollout scope on shift');
    const section = page.getByTestId('out-of-scope');
    expect(await section.getAttribute('open')).toBeNull();
    expect(await section.locator('summary').textContent()).toBe('Not in rollout scope (2)');
    expect(await page.locator(`tr[data-officer="${plain1}"]`).isVisible()).toBe(false);
    await screenshot(page, 'rollout-01-readiness-scope');
    await section.locator('summary').click();
    await page.locator(`tr[data-officer="${plain1}"]`).waitFor();
    expect(await page.locator('tr[data-in-scope="false"]').count()).toBe(2);
    await screenshot(page, 'rollout-02-readiness-out-of-scope-open');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'rollout-03-readiness-scope-phone');
    expect(problems).toEqual([]);
    await close();
  });

  it('lets a reviewer mark a clip evidential on the Clips screen, saying why', async () => {
    const station = await newStation(app, admin);
    const officer = await newOfficer(app, admin, { station });
    const camera = await newCamera(app, admin, { station });
    const dock = await newDock(app, admin, { station });
    await app.http().post('/api/v1/checkouts').set(admin).send({ camera, officer, mode: 'pool' }).expect(201);
    const bytes = randomBytes(4096);
    const up = await offload(
      app.url,
      await credentialsFor(app, admin, 'dock', dock, { registered: true }),
      bytes,
      {
        camera,
        recordedFrom: new Date(),
        recordedTo: new Date(Date.now() + 30_000),
      },
    );
    expect(up.status).toBe(201);
    const id = sha256(bytes);

    const s = await sessionFor(app, 'reviewer');
    const { page, problems, close } = await signedIn(chromium, app.url, s);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Clips' }).click();
    await page.getByRole('heading', { name: 'Clips' }).waitFor();
    const row = page.locator(`tr[data-clip="${id}"]`);
    await row.getByRole('button', { name: /^Mark evidential\s*\(clip / }).click();
    await row.getByLabel('Why').fill('Shows the arrest; case 4411');
    await screenshot(page, 'rollout-04-clip-evidential-reason');
    await row.getByRole('button', { name: 'Mark evidential' }).click();
    await row.getByRole('button', { name: /unmark clip/ }).waitFor();
    expect(await row.getAttribute('data-evidential')).toBe('true');
    expect(await row.textContent()).toContain('Shows the arrest; case 4411');
    await screenshot(page, 'rollout-05-clip-evidential');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'rollout-06-clip-evidential-phone');
    // On a phone the table is a stack of cards: nothing off the side of the screen.
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
    await close();
    const clip = await app.http().get(`/api/v1/clips/${id}`).set(admin).expect(200);
    expect(clip.body).toMatchObject({
      evidential: true,
      evidentialMark: { reason: 'Shows the arrest; case 4411' },
    });
  });
});
