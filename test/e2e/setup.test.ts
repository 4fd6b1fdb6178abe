/// <reference lib="dom" />
// Setting up a new installation from the browser (issue 19, "A new installation cannot be set up
// from the UI"), in Debian's chromium against the real platform on a database of its own: the admin
// registers a station (a bad code marked on its field with the API's words), a dock, a camera (then
// corrects it) and an officer; stores staff with a home station register a camera there and are told,
// on the station field, that another station is not theirs; a camera manifest is checked (a refused
// row shown with its line and reason, nothing imported), corrected, imported; and the label sheet of
// the imported cameras opens; a register beyond one page (130 cameras at a station) is paged and
// searched, and dock label sheets open from the docks list and the Labels tab. Screenshots at
// 1280×800 and 390×844: test-artifacts/screens/setup-*.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, startApp, type TestApp } from '../helpers/app.js';
import { lookAtBothWidths, signedIn, startChromium, type BrowserHandle } from '../helpers/browser.js';
import { newDock, newStation } from '../helpers/factories.js';
import { sessionFor } from '../helpers/live.js';

const DESKTOP = { width: 1280, height: 800 };
const ADMIN = { username: 'admin', password: ADMIN_PASSWORD };

/** Screenshots at both widths, axe clean at both, and the phone page no wider than the phone. */
const look = (page: Page, name: string) => lookAtBothWidths(page, `setup-${name}`);

/** The text of the page a link opens in a new tab (a label sheet), which is closed after. */
async function opened(page: Page, link: ReturnType<Page['getByRole']>) {
  const [sheet] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
  await sheet.waitForLoadState();
  const text = await sheet.content();
  await sheet.close();
  return text;
}

/** The message the form shows under a field (tied to it by aria-describedby). */
const fieldError = (page: Page, form: string, field: string) =>
  page.getByRole('form', { name: form }).locator(`[data-field-error="${field}"]`);

describe('set-up screens in the browser', () => {
  let app: TestApp;
  let chromium: BrowserHandle;
  let admin: Record<string, string>;

  beforeAll(async () => {
    app = await startApp();
    chromium = await startChromium();
    admin = await app.as('admin');
  }, 120_000);
  afterAll(async () => {
    await chromium?.close();
    await app?.close();
  });

  const get = async (path: string) =>
    (await app.http().get(`/api/v1${path}`).set(admin)).body as Record<string, unknown>;

  it('lets an admin register a station, a dock, a camera and an officer on a fresh installation', async () => {
    const { page, problems, close } = await signedIn(chromium, app.url, ADMIN, DESKTOP);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Set-up' }).click();
    await page.getByRole('heading', { name: 'Set-up', level: 1 }).waitFor();
    // No station yet: set-up opens on stations, where everything starts.
    await page.getByRole('heading', { name: 'Stations', level: 2 }).waitFor();
    await page.getByText('No stations yet').waitFor();
    await look(page, 'stations-empty');

    // A lower-case code: the API refuses it and the form says so on the code field.
    const newStation = 'Register a station';
    await page.getByRole('form', { name: newStation }).getByLabel('Code').fill('north');
    await page.getByRole('form', { name: newStation }).getByLabel('Name').fill('North Division HQ');
    await page.getByRole('button', { name: 'Register station' }).click();
    await expect(fieldError(page, newStation, 'code').textContent()).resolves.toBe(
      'upper-case letters and digits (2–10)',
    );
    await expect(
      page.getByRole('form', { name: newStation }).getByLabel('Code').getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    // The form says where to look, not the API's bare "Invalid body".
    await page.getByRole('alert').getByText('Not accepted: correct the field marked').waitFor();
    await look(page, 'station-refused');
    await page.getByRole('form', { name: newStation }).getByLabel('Code').fill('NORTH');
    await page.getByRole('button', { name: 'Register station' }).click();
    await page.getByText('Station NORTH registered').waitFor();
    await page.locator('tr[data-key="NORTH"]').waitFor();
    // A second one, for the stores user's scope below; registering it again is marked on the code.
    for (const expected of ['Station SOUTH registered', 'Station already exists']) {
      await page.getByRole('form', { name: newStation }).getByLabel('Code').fill('SOUTH');
      await page.getByRole('form', { name: newStation }).getByLabel('Name').fill('South');
      await page.getByRole('button', { name: 'Register station' }).click();
      await page.getByText(expected).first().waitFor();
    }
    await expect(fieldError(page, newStation, 'code').textContent()).resolves.toMatch(/SOUTH/);
    expect(await get('/stations/NORTH')).toMatchObject({ code: 'NORTH', name: 'North Division HQ' });

    // A dock at NORTH.
    await page.getByRole('link', { name: 'Docks' }).click();
    const newDock = page.getByRole('form', { name: 'Register a dock' });
    await newDock.getByLabel('Dock id').fill('DOCK-N1');
    await newDock.getByLabel('Station').selectOption('NORTH');
    await newDock.getByLabel('Slots').fill('12');
    await newDock.getByLabel('Model').fill('DS-12');
    await page.getByRole('button', { name: 'Register dock' }).click();
    await page.getByText('Dock DOCK-N1 registered').waitFor();
    await page.locator('tr[data-key="DOCK-N1"]').waitFor();
    expect(await get('/docks/DOCK-N1')).toMatchObject({ station: 'NORTH', slots: 12, model: 'DS-12' });

    // A camera at NORTH, then corrected (its notes and cost); its station is not offered for change.
    await page.getByRole('link', { name: 'Cameras' }).click();
    const newCamera = page.getByRole('form', { name: 'Register a camera' });
    await newCamera.getByLabel('Serial').fill('VB400-0001');
    await newCamera.getByLabel('Model').fill('VB400');
    await newCamera.getByLabel('Asset tag').fill('BWV-N-0001');
    await newCamera.getByLabel('Station').selectOption('NORTH');
    await newCamera.getByLabel('Purchase date').fill('2026-03-01');
    await page.getByRole('button', { name: 'Register camera' }).click();
    await page.getByText('Camera VB400-0001 registered').waitFor();
    await page.getByRole('button', { name: 'Edit camera VB400-0001' }).click();
    const edit = page.getByRole('form', { name: 'Edit camera VB400-0001' });
    await expect(edit.getByLabel('Station').isDisabled()).resolves.toBe(true);
    await edit.getByLabel('Purchase cost (£)').fill('450');
    await edit.getByLabel('Notes').fill('Spare for the custody suite');
    await look(page, 'camera-edit');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Camera VB400-0001 saved').waitFor();
    expect(await get('/cameras/VB400-0001')).toMatchObject({
      station: 'NORTH',
      assetTag: 'BWV-N-0001',
      purchaseDate: '2026-03-01T00:00:00.000Z',
      purchaseCost: 450,
      notes: 'Spare for the custody suite',
      status: 'in_stock',
    });

    // An officer at NORTH with a qualification.
    await page.getByRole('link', { name: 'Officers' }).click();
    const newOfficer = page.getByRole('form', { name: 'Register an officer' });
    await newOfficer.getByLabel('Officer number').fill('N1234');
    await newOfficer.getByLabel('Name').fill('PC Ada Lovelace');
    await newOfficer.getByLabel('Station').selectOption('NORTH');
    await newOfficer.getByLabel('Team').fill('Response A');
    await newOfficer.getByLabel('TASER').check();
    await page.getByRole('button', { name: 'Register officer' }).click();
    await page.getByText('Officer N1234 registered').waitFor();
    await page.locator('tr[data-key="N1234"]').waitFor();
    await look(page, 'officers');
    expect(await get('/officers/N1234')).toMatchObject({
      name: 'PC Ada Lovelace',
      station: 'NORTH',
      team: 'Response A',
      qualifications: ['TASER'],
      active: true,
    });
    expect(problems).toEqual([]);
    await close();
  }, 90_000);

  it('lets stores staff register at their own station and marks another station as not theirs', async () => {
    const stores = await sessionFor(app, 'stores', 'NORTH');
    const { page, problems, close } = await signedIn(chromium, app.url, stores, DESKTOP);
    await page.getByRole('link', { name: 'Set-up' }).click();
    await page.getByTestId('scope').waitFor();
    await page.getByRole('heading', { name: 'Cameras', level: 2 }).waitFor();
    const form = 'Register a camera';
    const newCamera = page.getByRole('form', { name: form });
    // Their home station is chosen already (once the stations have loaded).
    await newCamera.locator('option[value="SOUTH"]').waitFor({ state: 'attached' });
    await expect(newCamera.getByLabel('Station').inputValue()).resolves.toBe('NORTH');
    await newCamera.getByLabel('Serial').fill('VB400-0002');
    await newCamera.getByLabel('Model').fill('VB400');
    await newCamera.getByLabel('Asset tag').fill('BWV-S-0002');
    await newCamera.getByLabel('Station').selectOption('SOUTH');
    await page.getByRole('button', { name: 'Register camera' }).click();
    await expect(fieldError(page, form, 'station').textContent()).resolves.toMatch(
      /Station SOUTH is outside your scope/,
    );
    await look(page, 'stores-scope');
    await newCamera.getByLabel('Station').selectOption('NORTH');
    await page.getByRole('button', { name: 'Register camera' }).click();
    await page.getByText('Camera VB400-0002 registered').waitFor();
    expect(await get('/cameras/VB400-0002')).toMatchObject({ station: 'NORTH' });
    expect(problems).toEqual([]);
    await close();
  }, 60_000);

  it('checks a camera manifest, shows the refused row, imports the corrected file and opens its labels', async () => {
    const { page, problems, close } = await signedIn(chromium, app.url, ADMIN, DESKTOP);
    await page.goto(`${app.url}/#/setup/import`);
    await page.getByRole('heading', { name: 'Import from a CSV file' }).waitFor();
    const header = 'serial,model,assetTag,station,purchaseDate';
    const rows = ['IMP-0001,VB400,BWV-I-0001,NORTH,2026-04-01', 'IMP-0002,VB400,BWV-I-0002,NORTH,'];
    const bad = [header, ...rows, 'IMP-0003,VB400,BWV-I-0003,NOWHERE,'].join('\n');
    await page.getByLabel('CSV file', { exact: true }).setInputFiles({
      name: 'delivery.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(bad),
    });
    await page.getByRole('button', { name: 'Check file' }).click();
    const report = page.getByTestId('dry-run');
    await report.getByText('3 rows: 2 ready to import, 1 refused.', { exact: false }).waitFor();
    await expect(report.locator('tr[data-line="4"]').textContent()).resolves.toBe(
      "4IMP-0003station: unknown station 'NOWHERE'",
    );
    // All or nothing: no import is offered while a row is refused, and nothing was registered.
    await expect(page.getByRole('button', { name: /^Import / }).count()).resolves.toBe(0);
    await app.http().get('/api/v1/cameras/IMP-0001').set(admin).expect(404);
    await look(page, 'import-dry-run');

    await page.getByLabel('CSV file', { exact: true }).setInputFiles({
      name: 'delivery-fixed.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from([header, ...rows, 'IMP-0003,VB400,BWV-I-0003,SOUTH,'].join('\n')),
    });
    await page.getByRole('button', { name: 'Check file' }).click();
    await report.getByText('3 rows: 3 ready to import, 0 refused.').waitFor();
    await page.getByRole('button', { name: 'Import 3 cameras' }).click();
    await page.getByText(/^Imported 3 cameras from delivery-fixed\.csv/).waitFor();
    expect(await get('/cameras/IMP-0003')).toMatchObject({ station: 'SOUTH', assetTag: 'BWV-I-0003' });
    await look(page, 'import-done');

    // The imported cameras' labels: chosen already, previewed, and the sheet opens to print.
    await page.getByRole('link', { name: 'Print labels for these 3 cameras' }).click();
    await page.getByRole('heading', { name: 'Camera labels' }).waitFor();
    const preview = page.getByRole('img', { name: /^Label sheet preview/ });
    await page.waitForFunction(
      () => (document.querySelector<HTMLImageElement>('img.setup-sheet-preview')?.naturalWidth ?? 0) > 0,
    );
    await expect(preview.getAttribute('alt')).resolves.toBe(
      'Label sheet preview: IMP-0001, IMP-0002, IMP-0003',
    );
    await look(page, 'labels');
    const [sheet] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('link', { name: 'Open the label sheet for 3 chosen cameras' }).click(),
    ]);
    await sheet.waitForLoadState();
    const svg = await sheet.content();
    for (const tag of ['BWV-I-0001', 'BWV-I-0002', 'BWV-I-0003']) expect(svg).toContain(`>${tag}</text>`);
    await sheet.close();

    // A station's whole sheet, from the station chosen on the same tab.
    await page.getByLabel('Station').selectOption('NORTH');
    await page.getByLabel('BWV-N-0001').waitFor();
    const [whole] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('link', { name: 'Open the sheet of every camera at NORTH' }).click(),
    ]);
    await whole.waitForLoadState();
    const all = await whole.content();
    for (const tag of ['BWV-N-0001', 'BWV-S-0002', 'BWV-I-0001', 'BWV-I-0002'])
      expect(all).toContain(`>${tag}</text>`);
    expect(all).not.toContain('>BWV-I-0003</text>');
    expect(problems).toEqual([]);
    await close();
  }, 90_000);

  it('pages and searches a register beyond 100, and opens dock label sheets', async () => {
    // 130 cameras at a station of their own, by the API's CSV import; and three docks.
    const station = await newStation(app, admin);
    const serial = (i: number) => `PG${station}-${String(i).padStart(4, '0')}`;
    const tag = (i: number) => `BWV-PG-${station}-${String(i).padStart(4, '0')}`;
    const csv = ['serial,model,assetTag,station'];
    for (let i = 0; i < 130; i++) csv.push(`${serial(i)},VB400,${tag(i)},${station}`);
    await app
      .http()
      .post('/api/v1/cameras/import')
      .set(admin)
      .set('content-type', 'text/csv')
      .send(csv.join('\n'))
      .expect(201);
    const docks = [
      await newDock(app, admin, { station, id: `DK-${station}-A` }),
      await newDock(app, admin, { station, id: `DK-${station}-B` }),
      await newDock(app, admin, { station, id: `DK-${station}-C` }),
    ];

    const { page, problems, close } = await signedIn(chromium, app.url, ADMIN, DESKTOP);
    await page.goto(`${app.url}/#/setup/cameras`);
    await page.getByRole('heading', { name: 'Cameras', level: 2 }).waitFor();
    const filter = page.locator('.setup-filter');
    await filter.getByLabel('Station').selectOption(station);
    const count = page.getByTestId('cameras-count');
    await count.getByText('Showing 1–100 of 130').waitFor();
    await page.locator(`tr[data-key="${serial(99)}"]`).waitFor();
    await expect(page.locator(`tr[data-key="${serial(120)}"]`).count()).resolves.toBe(0);

    // The next page holds the rest; previous goes back.
    const pages = page.getByRole('navigation', { name: 'Pages of cameras' });
    await expect(pages.getByRole('button', { name: 'Previous 100' }).isDisabled()).resolves.toBe(true);
    await pages.getByRole('button', { name: 'Next 100' }).click();
    await count.getByText('Showing 101–130 of 130').waitFor();
    await page.locator(`tr[data-key="${serial(120)}"]`).waitFor();
    await expect(page.locator('tbody tr[data-key]').count()).resolves.toBe(30);
    await expect(pages.getByRole('button', { name: 'Next 100' }).isDisabled()).resolves.toBe(true);
    await look(page, 'cameras-page-2');
    await pages.getByRole('button', { name: 'Previous 100' }).click();
    await count.getByText('Showing 1–100 of 130').waitFor();

    // Search by part of an asset tag, in lower case: the camera beyond the first 100, alone.
    const search = page.getByRole('search', { name: 'Search cameras' });
    await search.getByLabel('Find cameras').fill(tag(120).slice(-9).toLowerCase());
    await search.getByRole('button', { name: 'Search' }).click();
    await count.getByText(/^1 camera matching/).waitFor();
    await page.locator(`tr[data-key="${serial(120)}"]`).waitFor();
    await expect(page.locator('tbody tr[data-key]').count()).resolves.toBe(1);
    await look(page, 'cameras-search');
    // A search that finds nothing says so.
    await search.getByLabel('Find cameras').fill('NO-SUCH-THING');
    await search.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No cameras match “NO-SUCH-THING”.').waitFor();

    // Docks: the station's label sheet from the list, then those a search found.
    await page.getByRole('link', { name: 'Docks', exact: true }).click();
    await page.getByRole('heading', { name: 'Docks', level: 2 }).waitFor();
    await page.locator('.setup-filter').getByLabel('Station').selectOption(station);
    await page.getByTestId('docks-count').getByText('3 docks').waitFor();
    await look(page, 'docks-labels');
    const all = await opened(
      page,
      page.getByRole('link', { name: `Print labels for every dock at ${station}` }),
    );
    for (const id of docks) expect(all).toContain(`>${id}</text>`);
    expect(all).toContain(`>Dock at ${station}</text>`);
    await page.getByRole('search', { name: 'Search docks' }).getByLabel('Find docks').fill(`${station}-a`);
    await page.getByRole('search', { name: 'Search docks' }).getByRole('button', { name: 'Search' }).click();
    await page
      .getByTestId('docks-count')
      .getByText(/^1 dock matching/)
      .waitFor();
    const found = await opened(page, page.getByRole('link', { name: 'Print labels for the dock found' }));
    expect(found).toContain(`>${docks[0]}</text>`);
    expect(found).not.toContain(`>${docks[1]}</text>`);

    // The Labels tab: the chosen station's dock sheet, beside its camera sheet.
    await page.getByRole('link', { name: 'Labels', exact: true }).click();
    await page.getByRole('heading', { name: 'Label sheets' }).waitFor();
    await page.getByLabel('Station').selectOption(station);
    const sheet = await opened(
      page,
      page.getByRole('link', { name: `Open the sheet of all 3 docks at ${station}` }),
    );
    for (const id of docks) expect(sheet).toContain(`>${id}</text>`);
    await look(page, 'labels-docks');
    expect(problems).toEqual([]);
    await close();
  }, 90_000);
});
