/// <reference lib="dom" />
// Debian's chromium driven by playwright-core (no downloaded browsers), axe-core for accessibility,
// and screenshots saved under test-artifacts/screens/ for people to look at.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '../..');
export const ARTIFACTS = path.join(root, 'test-artifacts', 'screens');
const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

/** Builds web/dist if its sources changed (a no-op when fresh), so a lone e2e run works too. */
export function ensureDashboardBuilt() {
  execFileSync('bash', [path.join(root, 'scripts/build-web.sh')], { stdio: 'inherit', cwd: root });
}

/** The widths every screen is looked at: a desktop and a phone. */
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

export interface BrowserHandle {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<BrowserHandle> {
  // playwright gives every launch a fresh temporary profile (--user-data-dir) and removes it after.
  // The flags keep the browser off the (closed) network and quiet on a 2-core machine.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

/** The dashboard built (when its sources changed) and chromium started: what every e2e file does first. */
export async function startChromium(): Promise<BrowserHandle> {
  ensureDashboardBuilt();
  return launchChromium();
}

/** A page that records CSP violations and page errors, so a test can assert there were none. */
export async function newPage(b: BrowserHandle, viewport = { width: 1280, height: 900 }) {
  const context = await b.browser.newContext({ viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { page, problems, close: () => context.close() };
}

/** How wide the page's content is: more than the viewport means a phone scrolls sideways. */
export const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/**
 * Looks at the page as people will: axe clean, a screenshot (`name`), then at phone width no wider
 * than the phone, axe clean, a screenshot (`name-phone`), and back to the viewport it had.
 * `settle` runs after the resize, before the phone's checks (e.g. wait for a frame to lay out again).
 */
export async function lookAtBothWidths(page: Page, name: string, settle?: (page: Page) => Promise<void>) {
  const before = page.viewportSize() ?? DESKTOP;
  await noSeriousA11yViolations(page, name);
  await screenshot(page, name);
  await page.setViewportSize(PHONE);
  await settle?.(page);
  const width = await scrollWidth(page);
  if (width > PHONE.width) throw new Error(`${name}: ${width} px wide on a ${PHONE.width}-px phone`);
  await noSeriousA11yViolations(page, `${name} (phone)`);
  await screenshot(page, `${name}-phone`);
  await page.setViewportSize(before);
}

/** Throws (failing the test) with axe's serious and critical findings, if any. Plain throws, not
 * jest's expect: the benchmarks use this module outside jest. */
async function noSeriousA11yViolations(page: Page, where: string) {
  const found = await seriousA11yViolations(page);
  if (found.length > 0)
    throw new Error(`${where}: accessibility violations ${JSON.stringify(found, null, 1)}`);
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** Runs axe-core in the page; returns serious and critical violations (what the tests fail on). */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, not a <script>: the page's CSP stays as strict as served.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run: (ctx: unknown, o: unknown) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function logIn(page: Page, baseUrl: string, username: string, password: string) {
  await page.goto(baseUrl);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

/** A new page (see newPage) with the user logged in. */
export async function signedIn(
  b: BrowserHandle,
  baseUrl: string,
  user: { username: string; password: string },
  viewport?: { width: number; height: number },
) {
  const handle = await newPage(b, viewport);
  await logIn(handle.page, baseUrl, user.username, user.password);
  return handle;
}
