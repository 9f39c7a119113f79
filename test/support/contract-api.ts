import { draftTerms, THE_PARTIES } from './contract-fixtures';
import type { TestApi } from './http-client';

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
