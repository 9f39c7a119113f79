import { addDays, daysFromTo } from '../../src/shared/calendar';
import type { HandoverItemKind } from '../../src/contracts/domain/handover';
import { draftTerms, handoverEvidence, THE_PARTIES, type SettlementFigures } from './contract-fixtures';
import type { HttpAnswer, TestApi } from './http-client';

/** The draft body of the API: the parties and the terms, as the issue shows it. */
export const DRAFT = { ...THE_PARTIES, ...draftTerms() };

/** The story's principals, as the test client names them (`role:partyId`). */
export const BRAND = 'brand:brand-feiyue';
export const OPERATOR = 'operator:op-yunshang';

type Party = 'brand' | 'operator';
/** Each party's key in the story, and the person who signs for it. */
const STORY: Record<Party, { readonly principal: string; readonly signatory: string }> = {
  brand: { principal: BRAND, signatory: 'Zhang Wei' },
  operator: { principal: OPERATOR, signatory: 'Li Na' },
};
const otherParty = (party: Party): Party => (party === 'brand' ? 'operator' : 'brand');

/** Drafts the story's contract and has both parties sign it; returns its id (the contract is then at revision 3). */
export async function draftAndActivate(api: TestApi): Promise<string> {
  const { body } = await api.as(BRAND).post('/contracts', DRAFT);
  await api.as(BRAND).post(`/contracts/${body.contractId}/signatures`, { party: 'brand', signatory: 'Zhang Wei', signedOn: '2026-12-01' });
  await api
    .as(OPERATOR)
    .post(`/contracts/${body.contractId}/signatures`, { party: 'operator', signatory: 'Li Na', signedOn: '2026-12-03' });
  return body.contractId as string;
}

/** The contract's revision as its summary answers it (its ETag), after the last write the client saw. */
export async function revisionOf(api: TestApi, contractId: string): Promise<string | null> {
  return (await api.get(`/contracts/${contractId}`)).headers.get('etag');
}

/** Takes a step that must be refused with this status and code as problem details, and checks that the contract's revision did not move. */
export async function expectRefused(
  api: TestApi,
  contractId: string,
  step: () => Promise<HttpAnswer>,
  status: number,
  code: string,
): Promise<HttpAnswer> {
  const before = await revisionOf(api, contractId);
  const answer = await step();
  expect({ status: answer.status, code: answer.body?.code }).toEqual({ status, code });
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  expect(await revisionOf(api, contractId)).toBe(before);
  return answer;
}

/**
 * A JSON request as a principal named `role:partyId`, answering its status
 * and body: what the ledger helper needs of a client (the test client, or the
 * fuzzer's own).
 */
export type JsonCall = (
  principal: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  // Untyped JSON: the helper reads the few fields it needs.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
) => Promise<{ status: number; body: any }>;

const callsOf = (client: TestApi | JsonCall): JsonCall =>
  typeof client === 'function'
    ? client
    : (principal, method, path, body) => (method === 'GET' ? client.as(principal).get(path) : client.as(principal).post(path, body));

/** A step of a setup that must succeed: its answer's body. */
// Untyped JSON: the helpers read the few fields they need.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function succeeded(call: JsonCall, principal: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<any> {
  const answer = await call(principal, method, path, body);
  if (answer.status >= 300) throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A supplementary agreement as the API takes it, but for who proposes it. */
export interface Agreement {
  readonly documentRef: string;
  readonly effectiveOn: string;
  readonly changes: readonly unknown[];
}

/**
 * Puts a supplementary agreement in force as the story's parties do: one
 * proposes it, the other countersigns it on its effective date. Answers the
 * agreement's id (also the `handoverId` of the partial handover it opens if
 * it takes a scope back) and the countersignature's answer.
 */
export async function agree(
  client: TestApi | JsonCall,
  contractId: string,
  agreement: Agreement,
  proposedBy: Party = 'brand',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ amendmentId: string; countersigned: any }> {
  const call = callsOf(client);
  const proposed = await succeeded(call, STORY[proposedBy].principal, 'POST', `/contracts/${contractId}/amendments`, {
    proposedBy,
    ...agreement,
  });
  const party = otherParty(proposedBy);
  const countersigned = await succeeded(
    call,
    STORY[party].principal,
    'POST',
    `/contracts/${contractId}/amendments/${proposed.amendmentId}/countersignature`,
    { party, signatory: STORY[party].signatory, countersignedOn: agreement.effectiveOn },
  );
  return { amendmentId: proposed.amendmentId as string, countersigned };
}

/** The seed story's agreement: the brand takes logistics back into its own warehouse from 2028. */
export const LOGISTICS_BACK: Agreement = {
  documentRef: 'SA-2028-01 (own warehouse logistics)',
  effectiveOn: '2028-01-01',
  changes: [{ type: 'remove_scope', scope: 'logistics' }],
};

/** The body of a termination by both parties, effective 1 April 2028 (the operator sends it). */
export const MUTUAL_TERMINATION = {
  initiatedBy: 'operator',
  grounds: 'mutual_agreement',
  documentRef: 'TA-2028-03',
  brandSignatory: 'Zhang Wei',
  operatorSignatory: 'Li Na',
  effectiveOn: '2028-04-01',
};

/** Where a handover's steps are: the final handover's, or a partial one's by its id. */
export const handoverPath = (contractId: string, handoverId?: string) =>
  handoverId === undefined ? `/contracts/${contractId}/handover` : `/contracts/${contractId}/partial-handovers/${handoverId}`;

/**
 * Completes every open item of a handover (a partial one by its id, else the
 * final one) as the party responsible for it (the operator for an item of
 * both), with evidence of its kind (done on `doneOn`, else in April 2028): a
 * final settlement with `settlement`'s figures, which must agree with the
 * ledger (a partial handover has none). Answers the last completion's answer.
 */
export async function completeOpenItems(
  api: TestApi,
  contractId: string,
  {
    handoverId,
    settlement = { serviceFeesFen: 0, commissionFen: 0 },
    doneOn,
  }: { handoverId?: string; settlement?: SettlementFigures; doneOn?: string } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<any> {
  // The test client's reads wait for its last write.
  const call = callsOf(api);
  const view = await succeeded(call, 'admin', 'GET', `/contracts/${contractId}/handover`);
  const handover =
    handoverId === undefined ? view : view.partialHandovers.find((partial: { handoverId: string }) => partial.handoverId === handoverId);
  let last: unknown;
  for (const item of handover.items as Array<{ itemId: string; kind: HandoverItemKind; status: string; responsibleParty: string }>) {
    if (item.status !== 'open') continue;
    const principal = item.responsibleParty === 'brand' ? BRAND : OPERATOR;
    last = await succeeded(call, principal, 'POST', `${handoverPath(contractId, handoverId)}/items/${item.itemId}/completion`, {
      evidence: handoverEvidence(item.kind, settlement, doneOn),
    });
  }
  return last;
}

/** Both parties sign a handover off (a partial one by its id, else the final one), the operator first: answers the brand's answer. */
export async function signOffByBoth(
  api: TestApi,
  contractId: string,
  { handoverId, on }: { handoverId?: string; on: string },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<any> {
  const call = callsOf(api);
  const path = `${handoverPath(contractId, handoverId)}/sign-offs`;
  await succeeded(call, OPERATOR, 'POST', path, { party: 'operator', signatory: STORY.operator.signatory, signedOffOn: on });
  return succeeded(call, BRAND, 'POST', path, { party: 'brand', signatory: STORY.brand.signatory, signedOffOn: on });
}

/** A shop's sales over `days` service days, in fen: 1,000 yuan a day, 5% refunded, 2% shipping. */
export const salesOver = (days: number) => ({ grossSalesFen: 100_000 * days, refundsFen: 5_000 * days, shippingCostFen: 2_000 * days });

/**
 * Settles a contract's ledger through the API as its parties do, so that a
 * final settlement can agree with it: for every month with service days not
 * yet stated, the operator reports each shop's sales over the month's
 * service days (salesOver), the brand confirms them, the operator issues the
 * statement the day after. Answers the figures the final settlement's
 * evidence must carry. Every read waits for the writes before it
 * (`minPosition`, the last write's, or the one given for the first read).
 */
export async function settleLedger(
  client: TestApi | JsonCall,
  contractId: string,
  { minPosition }: { minPosition?: string } = {},
): Promise<SettlementFigures> {
  const call = callsOf(client);
  let position = minPosition;
  const after = (path: string) => (position === undefined ? path : `${path}?minPosition=${position}`);
  const expectOk = async (principal: string, method: 'GET' | 'POST', path: string, body?: unknown) => {
    const answer = await succeeded(call, principal, method, path, body);
    if (typeof answer?.position === 'string') position = answer.position;
    return answer;
  };

  const ledger = await expectOk('admin', 'GET', after(`/contracts/${contractId}/ledger`));
  const { terms } = await expectOk('admin', 'GET', after(`/contracts/${contractId}`));
  const operator = `operator:${ledger.operator.partyId}`;
  const brand = `brand:${ledger.brand.partyId}`;
  const months: Array<{ month: string; statementId?: string; serviceDays: { from: string; to: string } }> = ledger.months;
  for (const { month, serviceDays } of months.filter((candidate) => candidate.statementId === undefined)) {
    const days = daysFromTo(serviceDays.from, serviceDays.to);
    for (const shop of terms.shops as Array<{ platform: string; name: string }>) {
      const { reportId } = await expectOk(operator, 'POST', `/contracts/${contractId}/sales-reports`, {
        platform: shop.platform,
        shopName: shop.name,
        periodStart: serviceDays.from,
        periodEnd: serviceDays.to,
        ...salesOver(days),
        documentRef: `SALES-${month}`,
      });
      await expectOk(brand, 'POST', `/contracts/${contractId}/sales-reports/${reportId}/confirmation`, { confirmedOn: serviceDays.to });
    }
    await expectOk(operator, 'POST', `/contracts/${contractId}/statements`, { month, issuedOn: addDays(serviceDays.to, 1) });
  }
  const settled = await expectOk('admin', 'GET', after(`/contracts/${contractId}/ledger`));
  return { serviceFeesFen: settled.totals.openServiceFeesFen, commissionFen: settled.totals.openCommissionFen };
}
