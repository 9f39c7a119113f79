import { addDays, daysFromTo } from '../../src/shared/calendar';
import { draftTerms, THE_PARTIES, type SettlementFigures } from './contract-fixtures';
import type { HttpAnswer, TestApi } from './http-client';

/** The draft body of the API: the parties and the terms, as the issue shows it. */
export const DRAFT = { ...THE_PARTIES, ...draftTerms() };

/** The story's principals, as the test client names them (`role:partyId`). */
export const BRAND = 'brand:brand-feiyue';
export const OPERATOR = 'operator:op-yunshang';

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

const callsOf =
  (api: TestApi): JsonCall =>
  (principal, method, path, body) =>
    method === 'GET' ? api.as(principal).get(path) : api.as(principal).post(path, body);

/** What a final settlement must carry to agree with the ledger: the service fees and commission still open. */

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
  const call = typeof client === 'function' ? client : callsOf(client);
  let position = minPosition;
  const after = (path: string) => (position === undefined ? path : `${path}?minPosition=${position}`);
  const expectOk = async (principal: string, method: 'GET' | 'POST', path: string, body?: unknown) => {
    const answer = await call(principal, method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    if (typeof answer.body?.position === 'string') position = answer.body.position;
    return answer.body;
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
