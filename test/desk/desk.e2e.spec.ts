import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { HandoverItemKind } from '../../src/contracts/domain/handover';
import { BRAND, OPERATOR } from '../support/contract-api';
import { handoverEvidence, type SettlementFigures } from '../support/contract-fixtures';
import { captureLogs, startTestApp, type TestApi } from '../support/http-client';
import { TestClock } from '../support/test-clock';
import { buildDesk, launchChromium, PHONE, screenshot, seriousViolations, signIn } from './browser';
import { aContractInHandover, aPartialHandover } from './story';

/**
 * The handover desk in headless Chromium, through the seed story's handover:
 * coordinators complete their items (each seeing the other's appear live),
 * the parties settle and sign off, the contract closes; an auditor reads its
 * history at any revision; the parties dispute, waive, complete and sign off
 * a partial handover; and every main screen passes axe, fits a phone and
 * works from the keyboard.
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
    // The story's time: the operator terminates for the brand's breach once its cure period has run out (1 April 2028).
    const clock = new TestClock('2028-04-02T10:00:00+08:00');
    [api, browser] = await Promise.all([startTestApp({}, { logDestination: logs, clock }), launchChromium()]);
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

  /** Fills an item's evidence form with the story's evidence of its kind (done on a day if said), as a person types it (yuan, one line per account). */
  async function fillEvidence(card: Locator, itemId: string, kind: HandoverItemKind, doneOn?: string): Promise<void> {
    const { kind: _, ...fields } = handoverEvidence(kind, settlement, doneOn);
    for (const [field, value] of Object.entries(fields)) {
      const input = card.locator(`[id="${itemId}-${field}"]`);
      if (typeof value === 'boolean') await input.setChecked(value);
      else if (typeof value === 'number') await input.fill((value / 100).toFixed(2));
      else await input.fill(Array.isArray(value) ? value.join('\n') : String(value));
    }
  }
  async function complete(page: Page, itemId: string, kind: HandoverItemKind, doneOn?: string): Promise<void> {
    const card = item(page, itemId);
    await card.getByRole('button', { name: 'Complete…' }).click();
    await fillEvidence(card, itemId, kind, doneOn);
    await card.getByRole('button', { name: 'Record completion' }).click();
    await card.locator('.badge-completed').waitFor();
  }

  /** A party signs off the checklist its page shows, and waits for the form to go (the live checklist has the sign-off). */
  async function signOff(page: Page, signatory: string, signedOffOn: string): Promise<void> {
    const form = page.getByRole('form', { name: 'Sign off' });
    await form.getByLabel('Signatory').fill(signatory);
    await form.getByLabel('Signed off on').fill(signedOffOn);
    await form.getByRole('button', { name: 'Sign off' }).click();
    await form.waitFor({ state: 'detached' });
  }

  it('shows a coordinator the contracts in handover with progress per status and per party', async () => {
    const page = await session('coordinator');
    const entry = page.getByRole('listitem').filter({ hasText: 'Feiyue Sports and Yunshang E-commerce' });
    await entry.getByText('terminated on 2028-04-01 · handover due on 2028-05-01').waitFor();
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
    await second.getByText('Due on 2028-05-01.').waitFor();
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
    await signOff(operator, 'Li Na', '2028-05-02');
    await signOff(brand, 'Zhang Wei', '2028-05-02');
    await brand.getByText('Handover checklist (closed)').waitFor();
    await brand.locator('.meta .badge-closed').waitFor();
    await brand.getByText('Was due on 2028-05-01; signed off by both parties.').waitFor();
    // What led to it: the incident, counted per duty and month, and the notice whose cure period ran out.
    await expect(brand.locator('.meta').first().innerText()).resolves.toContain('terminated for breach on 2028-04-01');
    const notices = brand.getByRole('table', { name: 'Breach notices' });
    await expect(notices.getByRole('row').nth(1).innerText()).resolves.toMatch(/brand.*2028-03-02\s+2028-04-01\s+Open/s);
    const counts = brand.getByRole('table', { name: 'Incidents per duty and month' });
    await expect(counts.innerText()).resolves.toMatch(/Month\s+Daily shipping\s+2028-03\s+1\s+All months\s+1/);
    await screenshot(brand, 'party-contract', brand.getByRole('heading', { level: 1 }));
    await screenshot(brand, 'party-breaches', brand.getByText(/^Breaches and incidents/));
    expect(await seriousViolations(brand)).toEqual([]);
    expect((await api.get(`/contracts/${contractId}`)).body.status).toBe('closed');
  });

  it('shows a coordinator the closed contracts apart from those in handover', async () => {
    const page = await session('coordinator');
    await page.getByText('No contract is in handover.').waitFor();
    await page.getByRole('link', { name: 'Closed', exact: true }).click();
    await page.getByRole('heading', { name: 'Closed contracts' }).waitFor();
    await page.locator(`a[href="#/contracts/${contractId}"]`).click();
    await page.getByText('Handover checklist (closed)').waitFor();
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

  // Last: it drafts a second contract of the same parties, which their lists and the auditor's then show too.
  it('lets the parties dispute, complete, waive and sign off a partial handover, each seeing the other’s steps live', async () => {
    const { id, handoverId } = await aPartialHandover(api);
    const [operator, brand] = await Promise.all([session(OPERATOR, `#/contracts/${id}`), session(BRAND, `#/contracts/${id}`)]);
    for (const page of [operator, brand]) await page.getByText('Live: changes by others appear here.').waitFor();
    const { partialHandovers } = (await api.get(`/contracts/${id}/handover`)).body;
    const [credentials, repointing] = partialHandovers[0].items.map((candidate: { itemId: string }) => candidate.itemId);
    await brand.getByRole('region', { name: 'Partial handover of logistics from 2028-01-01' }).getByText('Due on 2028-01-31.').waitFor();

    // The brand disputes the couriers' re-pointing; the operator re-points them, which resolves the dispute.
    const dispute = item(brand, repointing);
    await dispute.getByRole('button', { name: 'Dispute…' }).click();
    await dispute.getByRole('button', { name: 'Record the dispute' }).click();
    await expect(dispute.locator('.field-problem').allInnerTexts()).resolves.toEqual(['Required.']);
    await dispute.getByLabel('Reason').fill('The couriers still collect from the operator’s warehouse');
    await dispute.getByRole('button', { name: 'Record the dispute' }).click();
    await item(operator, repointing).getByText('Disputed by the brand').waitFor();
    await complete(operator, repointing, 'logistics_repointing', '2028-01-10');

    // The courier account was closed rather than handed back: the operator proposes to waive it, the brand agrees.
    const waiver = item(operator, credentials);
    await waiver.getByRole('button', { name: 'Propose a waiver…' }).click();
    await waiver.getByLabel('Reason').fill('Cainiao closed the courier account on 31 December 2027: nothing to hand back');
    await waiver.getByRole('button', { name: 'Propose the waiver' }).click();
    const agreement = item(brand, credentials);
    await agreement.getByText('Waiver proposed by the operator').waitFor();
    await agreement.getByRole('button', { name: 'Agree to the waiver…' }).click();
    await agreement.getByLabel('Signatory').fill('Zhang Wei');
    await screenshot(brand, 'party-waiver');
    expect(await seriousViolations(brand)).toEqual([]);
    await agreement.getByRole('button', { name: 'Agree to waive it' }).click();
    await item(operator, credentials).locator('.badge-waived').waitFor();

    await signOff(operator, 'Li Na', '2028-01-12');
    await signOff(brand, 'Zhang Wei', '2028-01-12');
    await operator.getByText('Was due on 2028-01-31; signed off by both parties.').waitFor();
    expect((await api.get(`/contracts/${id}`)).body.partialHandovers).toEqual([
      { handoverId, scopes: ['logistics'], effectiveOn: '2028-01-01', signedOff: true },
    ]);
  });
});
