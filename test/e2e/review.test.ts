// The reviewer's screen in the browser (issue 18, part 5), on a real clip redacted by the platform's
// own worker: the queue (filter, risk flag, phone cards), a clip's page with the redacted player and
// the manifest's boxes drawn over it in step with the frame, the original behind a reason (audited),
// the evidential mark, the mandatory-review acknowledgement and the decision; an admin's view.
// Screenshots at desktop and phone widths, axe, no console problems.
// Missed faces and disclosures are in review-missed-faces.test.ts (they need the review API branch).
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../helpers/app.js';
import {
  PHONE,
  screenshot,
  scrollWidth,
  seriousA11yViolations,
  signedIn,
  startChromium,
  type BrowserHandle,
} from '../helpers/browser.js';
import { sessionFor } from '../helpers/live.js';
import {
  getClip,
  overlayAt,
  redactedClip,
  showFrame,
  videoReady,
  type Json,
  type RedactedClip,
} from '../helpers/review.js';

const FPS = 30;

describe("the reviewer's screen", () => {
  let app: TestApp;
  let chromium: BrowserHandle;
  let admin: Record<string, string>;
  let clip: RedactedClip;
  let manifest: Json;

  beforeAll(async () => {
    app = await startApp({ JOBS_POLL_MS: '300' });
    chromium = await startChromium();
    admin = await app.as('admin');
    clip = await redactedClip(app, admin, 45);
    manifest = (await app.http().get(`/api/v1/clips/${clip.id}/manifest`).set(admin).expect(200))
      .body as Json;
  }, 240_000); // the redaction takes ~10 s alone, minutes on a loaded 2-core machine
  afterAll(async () => {
    await chromium?.close();
    await app?.close();
  });

  it('shows the queue, plays the redacted clip with its boxes, the original behind a reason, and records the decision', async () => {
    // The mandatory-review flag, in the shape the risk assessment stores (clips-risk.test.ts makes real
    // flagged clips from dark footage): written here so this clip of faces shows the reviewer's side.
    const reasons = [{ code: 'faces-flicker', detail: '2 faces appear and vanish (frames 12–30)' }];
    const mongo = await MongoClient.connect(process.env.BWV_TEST_MONGODB_URI!);
    try {
      await mongo
        .db(app.dbName)
        .collection<{ _id: string }>('clips')
        .updateOne({ _id: clip.id }, { $set: { risk: { reviewRequired: true, reasons, measures: {} } } });
    } finally {
      await mongo.close();
    }

    const s = await sessionFor(app, 'reviewer');
    const { page, problems, close } = await signedIn(chromium, app.url, s);
    // Reviewers land on the queue.
    await page.getByRole('heading', { name: 'Clips', exact: true }).waitFor();
    const row = page.locator(`tr[data-clip="${clip.id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('redacted');
    const text = await row.textContent();
    expect(text).toContain(clip.camera);
    expect(text).toContain(clip.officer);
    expect(text).toContain(clip.station);
    expect(text).toContain('Awaiting review');
    expect(text).toContain('Needs review');
    expect(text).toContain('faces-flicker');
    await screenshot(page, 'review-01-queue');

    // Filtered by status.
    const status = page.getByLabel('Status');
    await status.selectOption('approved');
    await page.getByText('No approved clips.').waitFor();
    expect(await row.count()).toBe(0);
    await status.selectOption('redacted');
    await row.waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    await screenshot(page, 'review-02-queue-phone');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await page.setViewportSize({ width: 1280, height: 900 });

    // The clip's page: the redacted copy plays, the manifest's boxes over it.
    await row.getByRole('link').click();
    await page.getByRole('heading', { name: `Clip from ${clip.camera}`, exact: false }).waitFor();
    await page.getByTestId('risk-panel').getByText('2 faces appear and vanish (frames 12–30)').waitFor();
    await videoReady(page, 'Redacted clip');
    const frames = new Map<number, number[][]>(manifest.frames as Array<[number, number[][]]>);
    const frame = [...frames.keys()].find((f) => f >= 10)!;
    const [x, y, w] = frames.get(frame)![0]!;
    await showFrame(page, frame, FPS);
    const player = page.getByTestId('player');
    expect(await player.getAttribute('data-boxes')).toBe(String(frames.get(frame)!.length));
    // The box is drawn where the face is: the top edge's middle, scaled from 640 px to the display.
    const shown = await player.evaluate((el) => el.clientWidth);
    const k = shown / (manifest.input.width as number);
    expect(await overlayAt(page, (x! + w! / 2) * k, y! * k)).toMatchObject({ box: true });
    // Stepping a frame moves the overlay with it.
    await page.getByRole('button', { name: 'Frame ▶' }).click();
    await page.locator(`[data-testid="player"][data-frame="${frame + 1}"]`).waitFor();
    expect(await page.getByText(`Frame ${frame + 1} of ${manifest.input.frames as number}`).count()).toBe(1);
    // The overlay can be turned off, and on again.
    await page.getByLabel('Show redacted boxes').uncheck();
    await page.locator('[data-testid="player"][data-boxes="0"]').waitFor();
    expect((await overlayAt(page, 0, 0)).drawn).toBe(0);
    await page.getByLabel('Show redacted boxes').check();
    await showFrame(page, frame, FPS);
    expect((await overlayAt(page, (x! + w! / 2) * k, y! * k)).box).toBe(true);

    // The original, beside it, only once a reason is given; the access is in the audit trail.
    await page.getByRole('button', { name: 'View the original…' }).click();
    const why = page.getByLabel('Why do you need to see the original?');
    expect(await page.getByRole('button', { name: 'Show the original' }).isDisabled()).toBe(true);
    await why.fill('Checking the redaction of the player at the front');
    await screenshot(page, 'review-03-original-reason');
    await page.getByRole('button', { name: 'Show the original' }).click();
    await videoReady(page, 'Original clip, unredacted');
    await showFrame(page, frame, FPS);
    const audit = await app
      .http()
      .get('/api/v1/audit')
      .query({ action: 'clip.original.access', targetId: clip.id })
      .set(admin)
      .expect(200);
    expect((audit.body as Json).total).toBeGreaterThan(0);
    expect((audit.body as Json).items[0].changes.reason).toBe(
      'Checking the redaction of the player at the front',
    );

    // Evidential, with a reason.
    await page.getByRole('button', { name: /^Mark evidential\s*\(clip / }).click();
    await page.getByLabel('Why').fill('Shows the arrest; case 4411');
    await page.getByRole('button', { name: 'Mark evidential' }).click();
    await page.getByRole('button', { name: /unmark clip/ }).waitFor();

    // Flagged: the decision waits for the acknowledgement.
    const approve = page.getByRole('button', { name: 'Approve redaction' });
    await page.getByLabel(/^Note/).fill('Checked frames 12–30 against the original: every face covered');
    expect(await approve.isDisabled()).toBe(true);
    await page.getByLabel('I have checked the frames the flags above point to').check();
    expect(await approve.isDisabled()).toBe(false);
    await screenshot(page, 'review-04-clip-desktop');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await approve.click();
    await page.getByTestId('decision').waitFor();
    expect(await page.getByTestId('decision').textContent()).toContain('Redaction approved by');
    expect(await page.getByTestId('clip-status').textContent()).toContain('Approved');
    expect(await approve.count()).toBe(0);
    await screenshot(page, 'review-05-clip-approved');

    await page.setViewportSize(PHONE);
    await screenshot(page, 'review-06-clip-phone');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await close();

    expect(await getClip(app, admin, clip.id)).toMatchObject({
      status: 'approved',
      review: { decision: 'approved', note: 'Checked frames 12–30 against the original: every face covered' },
      evidential: true,
      evidentialMark: { reason: 'Shows the arrest; case 4411' },
    });
  }, 120_000);

  it('shows an admin the clip and the original behind a reason, without the reviewer’s actions; admins can make reviewers', async () => {
    const s = await sessionFor(app, 'admin');
    const { page, problems, close } = await signedIn(chromium, app.url, s);
    // The role picker offers the reviewer role.
    await page.getByRole('heading', { name: 'Users and roles' }).waitFor();
    const roles = await page.locator('select[name="role"] option').allTextContents();
    expect(roles).toContain('reviewer');
    await page.goto(`${app.url}/#/clips/${clip.id}`);
    await videoReady(page, 'Redacted clip');
    await page.getByRole('button', { name: 'View the original…' }).waitFor();
    expect(await page.getByRole('button', { name: 'Mark a missed face' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Mark evidential/ }).count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await close();
  }, 60_000);

  it('shows an inspector the redacted clip only', async () => {
    const s = await sessionFor(app, 'inspector');
    const { page, problems, close } = await signedIn(chromium, app.url, s);
    await page.goto(`${app.url}/#/clips/${clip.id}`);
    await videoReady(page, 'Redacted clip');
    expect(await page.getByText('View the original…').count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'Clips' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Disclosures' }).count()).toBe(0);
    expect(problems).toEqual([]);
    await close();
  }, 60_000);
});
