import { BRAND, DRAFT, draftAndActivate, OPERATOR, salesOver, settleLedger } from './contract-api';
import { finalSettlement, type SettlementFigures } from './contract-fixtures';
import type { TestApi } from './http-client';

/**
 * Every route of the API with how to call it on a contract in the state it
 * needs, and who may: the role matrix test and the planted-secret test both
 * walk it, so a new route is covered by adding it here.
 */
export const CALLERS = ['none', BRAND, OPERATOR, 'brand:brand-other', 'operator:op-other', 'auditor', 'coordinator', 'admin'] as const;
export type Caller = (typeof CALLERS)[number];

export interface Setup {
  id: string;
  accountId?: string;
  authorizationId?: string;
  breachId?: string;
  keyId?: string;
  reportId?: string;
  statementId?: string;
  /** What the final settlement must carry to agree with the contract's settled ledger. */
  settlement?: SettlementFigures;
}

export interface Route {
  readonly route: string;
  readonly setup: (api: TestApi) => Promise<Setup>;
  readonly request: (setup: Setup) => { method: 'GET' | 'POST' | 'DELETE'; path: string; body?: unknown };
  /** One expectation per caller, in the order of CALLERS. */
  readonly expected: string;
}

const drafted = async (api: TestApi): Promise<Setup> => ({ id: (await api.as(BRAND).post('/contracts', DRAFT)).body.contractId });
const active = async (api: TestApi): Promise<Setup> => ({ id: await draftAndActivate(api) });
const withAccount = async (api: TestApi): Promise<Setup> => {
  const { id } = await active(api);
  const account = await api
    .as(OPERATOR)
    .post(`/contracts/${id}/accounts`, { platform: 'tmall', accountName: 'shop', kind: 'shop_master_account' });
  return { id, accountId: account.body.accountId };
};
const withAuthorization = async (api: TestApi): Promise<Setup> => {
  const { id } = await active(api);
  const granted = await api
    .as(BRAND)
    .post(`/contracts/${id}/authorizations`, { type: 'online_distribution', platform: 'tmall', documentRef: 'A-1' });
  return { id, authorizationId: granted.body.authorizationId };
};
const withBrandBreach = async (api: TestApi): Promise<Setup> => {
  const { id } = await active(api);
  const breach = await api.as(OPERATOR).post(`/contracts/${id}/breaches`, {
    breachingParty: 'brand',
    clause: '2',
    description: 'late shipping',
    occurredOn: '2028-03-12',
    evidenceRef: 'EV',
  });
  return { id, breachId: breach.body.breachId };
};
const terminatedOn =
  (effectiveOn: string) =>
  async (api: TestApi): Promise<Setup> => {
    const { id } = await active(api);
    await api.as(OPERATOR).post(`/contracts/${id}/termination`, {
      initiatedBy: 'operator',
      grounds: 'stipulated_condition',
      clause: '12.3',
      effectiveOn,
    });
    return { id };
  };
const terminated = terminatedOn('2028-01-01');
/** The ledger's month settled in the route's examples: March 2027 of the story's one shop. */
const MARCH_REPORT = {
  platform: DRAFT.shops[0].platform,
  shopName: DRAFT.shops[0].name,
  periodStart: '2027-03-01',
  periodEnd: '2027-03-31',
  ...salesOver(31),
  documentRef: 'SALES-2027-03',
};
const withReport = async (api: TestApi): Promise<Setup> => {
  const { id } = await active(api);
  return { id, reportId: (await api.as(OPERATOR).post(`/contracts/${id}/sales-reports`, MARCH_REPORT)).body.reportId };
};
const withConfirmedReport = async (api: TestApi): Promise<Setup> => {
  const setup = await withReport(api);
  await api.as(BRAND).post(`/contracts/${setup.id}/sales-reports/${setup.reportId}/confirmation`, { confirmedOn: '2027-04-01' });
  return setup;
};
const withStatement = async (api: TestApi): Promise<Setup> => {
  const setup = await withConfirmedReport(api);
  const issued = await api.as(OPERATOR).post(`/contracts/${setup.id}/statements`, { month: '2027-03', issuedOn: '2027-04-05' });
  return { ...setup, statementId: issued.body.statementId };
};
/** Terminated after two months, each stated: the final settlement can agree with the ledger. */
const settled = async (api: TestApi): Promise<Setup> => {
  const { id } = await terminatedOn('2027-02-28')(api);
  return { id, settlement: await settleLedger(api, id) };
};
/** Settled, and the final settlement completed by the parties: the checklist shows its figures to those who see the ledger only. */
const settlementCompleted = async (api: TestApi): Promise<Setup> => {
  const setup = await settled(api);
  const completed = await api
    .as(OPERATOR)
    .post(`/contracts/${setup.id}/handover/items/final-settlement/completion`, { evidence: finalSettlement(setup.settlement!) });
  // Read once after the completion, so that the route's read shows it.
  await api.get(`/contracts/${setup.id}/handover?minPosition=${completed.body.position}`);
  return setup;
};
const withKey = async (api: TestApi): Promise<Setup> => ({
  id: '',
  keyId: (await api.as('admin').post('/admin/keys', { role: 'auditor', label: 'to revoke' })).body.keyId,
});

const ALIPAY_HANDOVER = {
  kind: 'alipay_handover',
  rotatedBy: 'a',
  rotatedAt: '2028-01-02T10:00:00+08:00',
  receivedBy: 'b',
  receivedAt: '2028-01-02T11:00:00+08:00',
};

//                                                          none  brand op   xBrand xOp  auditor coord admin
export const MATRIX: readonly Route[] = [
  {
    route: 'POST /contracts',
    setup: async () => ({ id: '' }),
    request: () => ({ method: 'POST', path: '/contracts', body: DRAFT }),
    expected: '401 ok ok 403 403 403 403 ok',
  },
  {
    route: 'POST /contracts/:id/signatures (as brand)',
    setup: drafted,
    request: ({ id }) => ({
      method: 'POST',
      path: `/contracts/${id}/signatures`,
      body: { party: 'brand', signatory: 'a', signedOn: '2026-12-01' },
    }),
    expected: '401 ok 403 404 404 403 404 ok',
  },
  {
    route: 'POST /contracts/:id/signatures (as operator)',
    setup: drafted,
    request: ({ id }) => ({
      method: 'POST',
      path: `/contracts/${id}/signatures`,
      body: { party: 'operator', signatory: 'a', signedOn: '2026-12-01' },
    }),
    expected: '401 403 ok 404 404 403 404 ok',
  },
  {
    route: 'POST /contracts/:id/amendments',
    setup: active,
    request: ({ id }) => ({
      method: 'POST',
      path: `/contracts/${id}/amendments`,
      body: { documentRef: 'SA', effectiveOn: '2027-06-01', changes: [{ type: 'remove_scope', scope: 'logistics' }] },
    }),
    expected: '401 ok ok 404 404 403 404 ok',
  },
  {
    route: 'POST /contracts/:id/accounts',
    setup: active,
    request: ({ id }) => ({
      method: 'POST',
      path: `/contracts/${id}/accounts`,
      body: { platform: 'tmall', accountName: 'x', kind: 'sub_account' },
    }),
    expected: '401 403 ok 404 404 403 404 ok',
  },
  {
    route: 'DELETE /contracts/:id/accounts/:accountId',
    setup: withAccount,
    request: ({ id, accountId }) => ({ method: 'DELETE', path: `/contracts/${id}/accounts/${accountId}` }),
    expected: '401 403 ok 404 404 403 404 ok',
  },
  {
    route: 'POST /contracts/:id/authorizations',
    setup: active,
    request: ({ id }) => ({
      method: 'POST',
      path: `/contracts/${id}/authorizations`,
      body: { type: 'shop_operation', platform: 'tmall', documentRef: 'A' },
    }),
    expected: '401 ok 403 404 404 403 404 ok',
  },
  {
    route: 'POST /contracts/:id/authorizations/:authorizationId/revocation',
    setup: withAuthorization,
    request: ({ id, authorizationId }) => ({
      method: 'POST',
      path: `/contracts/${id}/authorizations/${authorizationId}/revocation`,
      body: { documentRef: 'R', revokedOn: '2028-01-01' },
    }),
    expected: '401 ok 403 404 404 403 404 ok',
  },
  {
    route: 'POST /contracts/:id/breaches (by the brand)',
    setup: active,
    request: ({ id }) => ({
      method: 'POST',
      path: `/contracts/${id}/breaches`,
      body: { breachingParty: 'brand', clause: '2', description: 'd', occurredOn: '2028-01-01', evidenceRef: 'E' },
    }),
    expected: '401 403 ok 404 404 403 404 ok',
  },
  {
    route: 'POST /contracts/:id/breaches (by the operator)',
    setup: active,
    request: ({ id }) => ({
      method: 'POST',
      path: `/contracts/${id}/breaches`,
      body: { breachingParty: 'operator', clause: '2', description: 'd', occurredOn: '2028-01-01', evidenceRef: 'E' },
    }),
    expected: '401 ok 403 404 404 403 404 ok',
  },
  {
    route: 'POST /contracts/:id/breaches/:breachId/cure',
    setup: withBrandBreach,
    request: ({ id, breachId }) => ({
      method: 'POST',
      path: `/contracts/${id}/breaches/${breachId}/cure`,
      body: { curedOn: '2028-03-20' },
    }),
    expected: '401 403 ok 404 404 403 404 ok',
  },
  {
    route: 'POST /contracts/:id/termination (by the operator)',
    setup: active,
    request: ({ id }) => ({
      method: 'POST',
      path: `/contracts/${id}/termination`,
      body: { initiatedBy: 'operator', grounds: 'stipulated_condition', clause: '12', effectiveOn: '2028-01-01' },
    }),
    expected: '401 403 ok 404 404 403 404 ok',
  },
  {
    route: 'POST /contracts/:id/termination (by the brand)',
    setup: active,
    request: ({ id }) => ({
      method: 'POST',
      path: `/contracts/${id}/termination`,
      body: { initiatedBy: 'brand', grounds: 'stipulated_condition', clause: '12', effectiveOn: '2028-01-01' },
    }),
    expected: '401 ok 403 404 404 403 404 ok',
  },
  {
    route: "POST /contracts/:id/handover/items/:itemId/completion (the operator's item)",
    setup: terminated,
    request: ({ id }) => ({
      method: 'POST',
      path: `/contracts/${id}/handover/items/alipay-handover/completion`,
      body: { evidence: ALIPAY_HANDOVER },
    }),
    expected: '401 403 ok 404 404 403 ok ok',
  },
  {
    route: 'POST /contracts/:id/handover/items/:itemId/completion (an item of both)',
    setup: settled,
    request: ({ id, settlement }) => ({
      method: 'POST',
      path: `/contracts/${id}/handover/items/final-settlement/completion`,
      body: { evidence: finalSettlement(settlement!) },
    }),
    // The final settlement agrees the ledger's open figures: the parties', not a coordinator's.
    expected: '401 ok ok 404 404 403 403 ok',
  },
  {
    route: 'POST /contracts/:id/handover/sign-offs (as brand)',
    setup: terminated,
    request: ({ id }) => ({
      method: 'POST',
      path: `/contracts/${id}/handover/sign-offs`,
      body: { party: 'brand', signatory: 'a', signedOffOn: '2028-02-01' },
    }),
    expected: '401 ok 403 404 404 403 403 ok',
  },
  {
    route: 'POST /contracts/:id/handover/sign-offs (as operator)',
    setup: terminated,
    request: ({ id }) => ({
      method: 'POST',
      path: `/contracts/${id}/handover/sign-offs`,
      body: { party: 'operator', signatory: 'a', signedOffOn: '2028-02-01' },
    }),
    expected: '401 403 ok 404 404 403 403 ok',
  },
  {
    route: 'POST /contracts/:id/sales-reports',
    setup: active,
    request: ({ id }) => ({ method: 'POST', path: `/contracts/${id}/sales-reports`, body: MARCH_REPORT }),
    expected: '401 403 ok 404 404 403 404 ok',
  },
  {
    route: 'POST /contracts/:id/sales-reports/:reportId/confirmation',
    setup: withReport,
    request: ({ id, reportId }) => ({
      method: 'POST',
      path: `/contracts/${id}/sales-reports/${reportId}/confirmation`,
      body: { confirmedOn: '2027-04-01' },
    }),
    expected: '401 ok 403 404 404 403 404 ok',
  },
  {
    route: 'POST /contracts/:id/sales-reports/:reportId/dispute',
    setup: withReport,
    request: ({ id, reportId }) => ({
      method: 'POST',
      path: `/contracts/${id}/sales-reports/${reportId}/dispute`,
      body: { reason: 'Refunds missing', disputedOn: '2027-04-01' },
    }),
    expected: '401 ok 403 404 404 403 404 ok',
  },
  {
    route: 'POST /contracts/:id/promotion-spend',
    setup: active,
    request: ({ id }) => ({
      method: 'POST',
      path: `/contracts/${id}/promotion-spend`,
      body: { month: '2027-03', spentFen: 9_200_000, documentRef: 'ZTC-2027-03' },
    }),
    expected: '401 403 ok 404 404 403 404 ok',
  },
  {
    route: 'POST /contracts/:id/statements',
    setup: withConfirmedReport,
    request: ({ id }) => ({ method: 'POST', path: `/contracts/${id}/statements`, body: { month: '2027-03', issuedOn: '2027-04-05' } }),
    expected: '401 403 ok 404 404 403 404 ok',
  },
  {
    route: 'POST /contracts/:id/statements/:statementId/payments',
    setup: withStatement,
    request: ({ id, statementId }) => ({
      method: 'POST',
      path: `/contracts/${id}/statements/${statementId}/payments`,
      body: { amountFen: 1_000_000, paidOn: '2027-04-20', paymentRef: 'P-2027-03' },
    }),
    expected: '401 ok 403 404 404 403 404 ok',
  },
  { route: 'GET /contracts', setup: active, request: () => ({ method: 'GET', path: '/contracts' }), expected: '401 ok ok ok ok ok ok ok' },
  {
    route: 'GET /contracts/:id (active)',
    setup: active,
    request: ({ id }) => ({ method: 'GET', path: `/contracts/${id}` }),
    expected: '401 ok ok 404 404 ok 404 ok',
  },
  {
    route: 'GET /contracts/:id (in handover)',
    setup: terminated,
    request: ({ id }) => ({ method: 'GET', path: `/contracts/${id}?revision=2` }),
    expected: '401 ok ok 404 404 ok ok ok',
  },
  {
    route: 'GET /contracts/:id/handover',
    setup: terminated,
    request: ({ id }) => ({ method: 'GET', path: `/contracts/${id}/handover` }),
    expected: '401 ok ok 404 404 ok ok ok',
  },
  {
    route: 'GET /contracts/:id/handover (the final settlement completed)',
    setup: settlementCompleted,
    request: ({ id }) => ({ method: 'GET', path: `/contracts/${id}/handover` }),
    expected: '401 ok ok 404 404 ok ok ok',
  },
  {
    route: 'GET /contracts/:id/handover/stream',
    setup: terminated,
    request: ({ id }) => ({ method: 'GET', path: `/contracts/${id}/handover/stream` }),
    expected: '401 ok ok 404 404 ok ok ok',
  },
  {
    route: 'GET /contracts/:id/events',
    setup: active,
    request: ({ id }) => ({ method: 'GET', path: `/contracts/${id}/events` }),
    expected: '401 ok ok 404 404 ok 404 ok',
  },
  {
    route: 'GET /contracts/:id/events (in handover)',
    setup: terminated,
    request: ({ id }) => ({ method: 'GET', path: `/contracts/${id}/events` }),
    // The events hold the ledger's money: a coordinator sees the contract, not its raw history.
    expected: '401 ok ok 404 404 ok 403 ok',
  },
  {
    route: 'GET /contracts/:id/integrity',
    setup: active,
    request: ({ id }) => ({ method: 'GET', path: `/contracts/${id}/integrity` }),
    expected: '401 ok ok 404 404 ok 404 ok',
  },
  {
    route: 'GET /contracts/:id/integrity (in handover)',
    setup: terminated,
    request: ({ id }) => ({ method: 'GET', path: `/contracts/${id}/integrity` }),
    expected: '401 ok ok 404 404 ok ok ok',
  },
  {
    route: 'GET /contracts/:id/ledger (active)',
    setup: active,
    request: ({ id }) => ({ method: 'GET', path: `/contracts/${id}/ledger` }),
    expected: '401 ok ok 404 404 ok 404 ok',
  },
  {
    route: 'GET /contracts/:id/ledger (in handover)',
    setup: terminated,
    request: ({ id }) => ({ method: 'GET', path: `/contracts/${id}/ledger` }),
    expected: '401 ok ok 404 404 ok 403 ok',
  },
  {
    route: 'GET /contracts/:id/statements/:statementId',
    setup: withStatement,
    request: ({ id, statementId }) => ({ method: 'GET', path: `/contracts/${id}/statements/${statementId}` }),
    expected: '401 ok ok 404 404 ok 404 ok',
  },
  {
    route: 'GET /ledger/receivables',
    setup: async () => ({ id: '' }),
    request: () => ({ method: 'GET', path: '/ledger/receivables?operatorId=op-yunshang' }),
    expected: '401 403 ok 403 403 ok 403 ok',
  },
  {
    route: 'GET /ledger/payables',
    setup: async () => ({ id: '' }),
    request: () => ({ method: 'GET', path: '/ledger/payables?brandId=brand-feiyue' }),
    expected: '401 ok 403 403 403 ok 403 ok',
  },
  {
    route: 'GET /audit/digest',
    setup: active,
    request: () => ({ method: 'GET', path: '/audit/digest' }),
    expected: '401 403 403 403 403 ok 403 ok',
  },
  {
    route: 'POST /audit/digest/verification',
    setup: active,
    request: () => ({ method: 'POST', path: '/audit/digest/verification', body: { position: '1', digest: '0'.repeat(64) } }),
    expected: '401 403 403 403 403 ok 403 ok',
  },
  {
    route: 'POST /admin/keys',
    setup: async () => ({ id: '' }),
    request: () => ({ method: 'POST', path: '/admin/keys', body: { role: 'auditor', label: 'new' } }),
    expected: '401 403 403 403 403 403 403 ok',
  },
  {
    route: 'GET /admin/keys',
    setup: async () => ({ id: '' }),
    request: () => ({ method: 'GET', path: '/admin/keys' }),
    expected: '401 403 403 403 403 403 403 ok',
  },
  {
    route: 'DELETE /admin/keys/:keyId',
    setup: withKey,
    request: ({ keyId }) => ({ method: 'DELETE', path: `/admin/keys/${keyId}` }),
    expected: '401 403 403 403 403 403 403 ok',
  },
  {
    route: 'GET /health',
    setup: async () => ({ id: '' }),
    request: () => ({ method: 'GET', path: '/health' }),
    expected: 'ok ok ok ok ok ok ok ok',
  },
  {
    route: 'GET /health/live',
    setup: async () => ({ id: '' }),
    request: () => ({ method: 'GET', path: '/health/live' }),
    expected: 'ok ok ok ok ok ok ok ok',
  },
  {
    route: 'GET /health/ready',
    setup: async () => ({ id: '' }),
    request: () => ({ method: 'GET', path: '/health/ready' }),
    expected: 'ok ok ok ok ok ok ok ok',
  },
];
