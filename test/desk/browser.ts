import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

const ROOT = join(__dirname, '../..');
/** Where the screenshots go (git-ignored; the README shows copies kept in docs/). */
export const ARTIFACTS = join(ROOT, 'test-artifacts/desk');

/** Builds the desk as `npm start` does, into dist/desk, where the app serves it from. */
export function buildDesk(): void {
  const build = spawnSync('npm', ['run', '--silent', 'build:desk'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build:desk failed: ${build.stderr}`);
}

/**
 * Debian's Chromium, headless, quiet on the network (without these flags it
 * reaches for updates, sync and field trials, which a closed network floods
 * with retries). Playwright gives each launch a fresh profile folder.
 */
export function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
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
}

/** A phone's screen (an iPhone 14's CSS pixels), for the phone-width pass. */
export const PHONE = { width: 390, height: 844 };

/** Signs in on a fresh page of the context by typing the key, and waits for the first screen. */
export async function signIn(context: BrowserContext, baseUrl: string, key: string, hash = ''): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/${hash}`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

/**
 * What the screen shows: one screenful (a whole history would be a scroll no
 * one reads as a picture), where the page is scrolled to or from the top of
 * `from`.
 */
export async function screenshot(page: Page, name: string, from?: Locator): Promise<void> {
  await from?.evaluate((element) => element.scrollIntoView());
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** axe-core from node_modules, run in the page (evaluated, so the page's script policy does not stand in its way). */
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The accessibility violations axe finds that are serious or critical, each as `rule: target`. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate<AxeViolation[]>('axe.run().then((result) => result.violations)');
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`));
}

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { target: string[] }[];
}
