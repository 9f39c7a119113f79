import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { HandoverItemKind } from '../../src/contracts/domain/handover';
import { BRAND, OPERATOR } from '../support/contract-api';
import { handoverEvidence, type SettlementFigures } from '../support/contract-fixtures';
import { captureLogs, startTestApp, type TestApi } from '../support/http-client';
import { buildDesk, launchChromium, PHONE, screenshot, seriousViolations, signIn } from './browser';
import { aContractInHandover } from './story';

/**
 * The handover desk in headless Chromium, through the seed story's handover:
 * coordinators complete their items (each seeing the other's appear live),
 * the parties settle and sign off, the contract closes; an auditor reads its
 * history at any revision; and every main screen passes axe, fits a phone
 * and works from the keyboard.
 */
describe('the handover desk', () => {
  const logs = captureLogs();
  let api: TestApi;
  let browser: Browser;
  let contractId: string;
  let settlement: SettlementFigures;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    buildDesk();
    [api, browser] = await Promise.all([startTestApp({}, { logDestination: logs }), launchChromium()]);
    ({ id: contractId, settlement } = await aContractInHandover(api));
    for (const principal of ['coordinator', 'coordinator:second', BRAND, OPERATOR, 'auditor']) {
      // A second coordinator key: the role alone names the principal, so the label tells them apart.
      keys[principal] = principal === 'coordinator:second' ? await issue('coordinator') : await api.as(principal).key();
    }
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  async function issue(role: string): Promise<string> {
    return (await api.as('admin').post('/admin/keys', { role, label: `second ${role}` })).body.key;
  }
  /** A browser context whose steps fail after 10 s, naming the step, well within the test's time. */
  async function newContext(options: { viewport?: typeof PHONE } = {}): Promise<BrowserContext> {
    const context = await browser.newContext(options);
    context.setDefaultTimeout(10_000);
    return context;
  }
  async function session(principal: string, hash = '', options: { viewport?: typeof PHONE } = {}): Promise<Page> {
    const context = await newContext(options);
    return signIn(context, api.url, keys[principal], hash);
  }
  const item = (page: Page, itemId: string) => page.locator(`li[data-item="${itemId}"]`);
  const checklistOf = async () => (await api.get(`/contracts/${contractId}/handover`)).body;

  /** Fills an item's evidence form with the story's evidence of its kind, as a person types it (yuan, one line per account). */
  async function fillEvidence(card: Locator, itemId: string, kind: HandoverItemKind): Promise<void> {
    const { kind: _, ...fields } = handoverEvidence(kind, settlement);
    for (const [field, value] of Object.entries(fields)) {
      const input = card.locator(`[id="${itemId}-${field}"]`);
      if (typeof value === 'boolean') await input.setChecked(value);
      else if (typeof value === 'number') await input.fill((value / 100).toFixed(2));
      else await input.fill(Array.isArray(value) ? value.join('\n') : String(value));
    }
  }
  async function complete(page: Page, itemId: string, kind: HandoverItemKind): Promise<void> {
    const card = item(page, itemId);
    await card.getByRole('button', { name: 'Complete…' }).click();
    await fillEvidence(card, itemId, kind);
    await card.getByRole('button', { name: 'Record completion' }).click();
    await card.locator('.badge-completed').waitFor();
  }

  it('shows a coordinator the contracts in handover with progress per status and per party', async () => {
    const page = await session('coordinator');
    const entry = page.getByRole('listitem').filter({ hasText: 'Feiyue Sports and Yunshang E-commerce' });
    await entry.getByText('0 of 10 done · 0 completed · 0 waived · 0 disputed · 10 open').waitFor();
    await expect(entry.getByRole('table', { name: 'By responsible party' }).innerText()).resolves.toMatch(/Operator\s+0\s+0\s+0\s+6/);
    await screenshot(page, 'coordinator-handovers');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('checks evidence as the API does, and shows the API’s refusal in plain words', async () => {
    const page = await session('coordinator', `#/contracts/${contractId}`);
    const { items } = await checklistOf();
    const credential = items.find((candidate: { kind: string }) => candidate.kind === 'credential_handover');
    const card = item(page, credential.itemId);
    await card.getByRole('button', { name: 'Complete…' }).click();
    await card.getByLabel('Rotated at').fill('2028-04-02 10:00');
    await card.getByRole('button', { name: 'Record completion' }).click();
    await card.locator('.field-problem').first().waitFor();
    await expect(card.getByLabel('Rotated at').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(card.locator('.field-problem').allInnerTexts()).resolves.toEqual([
      'Required.',
      'A date and time with its offset, e.g. 2028-04-02T10:00+08:00.',
      'Required.',
      'Required.',
    ]);

    await fillEvidence(card, credential.itemId, 'credential_handover');
    await card.getByLabel('Account received by').fill('Zhang Wei, password: Feiyue@2028');
    await card.getByRole('button', { name: 'Record completion' }).click();
    const refusal = card.getByRole('alert');
    await expect(refusal.innerText()).resolves.toMatch(/^Something in the request is not acceptable\. .*not the password itself/s);
    await screenshot(page, 'refusal');
    expect((await checklistOf()).progress.completed).toBe(0);
  });

  it('lets a coordinator complete every item but the settlement, a second coordinator seeing each appear without reloading', async () => {
    const first = await session('coordinator', `#/contracts/${contractId}`);
    const second = await session('coordinator:second', `#/contracts/${contractId}`);
    await second.getByText('Live: changes by others appear here.').waitFor();
    await second.evaluate('window.loadedOnce = true');

    const { items } = await checklistOf();
    const theirs = items.filter((candidate: { kind: string }) => candidate.kind !== 'final_settlement');
    await expect(item(first, 'final-settlement').getByRole('button', { name: 'Complete…' }).count()).resolves.toBe(0);
    for (const { itemId, kind } of theirs) {
      await complete(first, itemId, kind);
      await item(second, itemId).locator('.badge-completed').waitFor();
    }
    await expect(second.evaluate('window.loadedOnce')).resolves.toBe(true);
    await expect(second.getByText(`${theirs.length} of 10 done`).first().isVisible()).resolves.toBe(true);
    await screenshot(first, 'coordinator-checklist');
    expect(await seriousViolations(first)).toEqual([]);
  });

  it('lets the parties settle and sign off, and shows the contract closed', async () => {
    const operator = await session(OPERATOR, `#/contracts/${contractId}`);
    await complete(operator, 'final-settlement', 'final_settlement');
    const brand = await session(BRAND, `#/contracts/${contractId}`);
    for (const [page, signatory] of [
      [operator, 'Li Na'],
      [brand, 'Zhang Wei'],
    ] as const) {
      const form = page.getByRole('form', { name: 'Sign off' });
      await form.getByLabel('Signatory').fill(signatory);
      await form.getByLabel('Signed off on').fill('2028-05-02');
      await form.getByRole('button', { name: 'Sign off' }).click();
      await form.waitFor({ state: 'detached' });
    }
    await brand.getByText('Handover checklist (closed)').waitFor();
    await brand.locator('.meta .badge-closed').waitFor();
    await screenshot(brand, 'party-contract');
    expect(await seriousViolations(brand)).toEqual([]);
    expect((await api.get(`/contracts/${contractId}`)).body.status).toBe('closed');
  });

  it('shows an auditor the timeline, the contract at any revision or instant, and the integrity verdict', async () => {
    const page = await session('auditor', `#/contracts/${contractId}/history`);
    const { events } = (await api.get(`/contracts/${contractId}/events?limit=1000`)).body;
    await page.getByText(`Integrity verified: the hash chain of all ${events.length} events is intact`).waitFor();
    const terminated = events.find((event: { type: string }) => event.type === 'HandoverStarted');
    await expect(
      page
        .getByRole('listitem')
        .filter({ hasText: `${terminated.revision}. Handover started` })
        .innerText(),
    ).resolves.toMatch(/by operator:op-yunshang:\w+/);

    await page.getByRole('button', { name: `See the contract at revision ${terminated.revision}`, exact: true }).click();
    const past = page.getByRole('region', { name: 'The contract in the past' });
    await past.getByText('0 of 10 done').waitFor();
    await expect(past.getByRole('button', { name: 'Complete…' }).count()).resolves.toBe(0);

    await page.getByLabel('Instant', { exact: true }).fill(terminated.recordedAt.replace('Z', '+00:00'));
    await page.getByRole('button', { name: 'Show as of this instant' }).click();
    await past.getByText('Status then: Terminated').waitFor();
    await page.getByLabel('Revision (0 to').fill('3');
    await page.getByRole('button', { name: 'Show this revision' }).click();
    await past.getByText('No handover had started then.').waitFor();
    await screenshot(page, 'auditor-history');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('works at phone width and from the keyboard alone', async () => {
    const context = await newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${api.url}/`);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in');
    // The heading has the focus: Tab reaches the key field, Enter signs in.
    await page.keyboard.press('Tab');
    await page.keyboard.type(keys.auditor);
    await page.keyboard.press('Enter');
    const link = page.getByRole('link', { name: 'Feiyue Sports and Yunshang E-commerce' });
    await link.waitFor();
    const focused = () => page.evaluate("document.activeElement?.getAttribute('href')");
    for (let tabs = 0; tabs < 10 && (await focused()) !== `#/contracts/${contractId}`; tabs++) await page.keyboard.press('Tab');
    expect(await focused()).toBe(`#/contracts/${contractId}`);
    await page.keyboard.press('Enter');
    await page.getByText('Handover checklist (closed)').waitFor();
    await screenshot(page, 'phone-contract');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('never puts a key in a URL, a log line or storage beyond the tab', async () => {
    const page = await session('coordinator');
    expect(page.url()).not.toContain(keys.coordinator);
    await expect(page.evaluate('[localStorage.length, document.cookie]')).resolves.toEqual([0, '']);
    await expect(page.evaluate('Object.values(sessionStorage)')).resolves.toEqual([keys.coordinator]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.evaluate('sessionStorage.length')).resolves.toBe(0);
    const logged = logs.lines.join('\n');
    expect(logged).toMatch(/"route":"\/me".*"principal":"coordinator:/);
    for (const key of Object.values(keys)) expect(logged).not.toContain(key);
  });
});
