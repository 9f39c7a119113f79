import {
  agree,
  BRAND,
  completeOpenItems,
  DRAFT,
  draftAndActivate,
  handoverPath,
  LOGISTICS_BACK,
  OPERATOR,
  salesOver,
  settleLedger,
} from './contract-api';
import { finalSettlement, handoverEvidence, type SettlementFigures } from './contract-fixtures';
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
  incidentId?: string;
  breachId?: string;
  amendmentId?: string;
  /** A partial handover's id: the agreement's that took its scope back. */
  handoverId?: string;
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
/** The brand's proposal of a supplementary agreement, awaiting the operator's answer. */
const withProposal = async (api: TestApi): Promise<Setup> => {
  const { id } = await active(api);
  const proposed = await api.as(BRAND).post(`/contracts/${id}/amendments`, {
    proposedBy: 'brand',
    documentRef: 'SA',
    effectiveOn: '2027-06-01',
    changes: [{ type: 'change_promotion_budget', monthlyBudgetFen: 12_000_000 }],
  });
  return { id, amendmentId: proposed.body.amendmentId };
};
/** The story's logistics taken back by an agreement in force: a partial handover of a logistics account and the re-pointing. */
const withPartialHandover = async (api: TestApi): Promise<Setup> => {
  const { id } = await active(api);
  await api
    .as(OPERATOR)
    .post(`/contracts/${id}/accounts`, { platform: 'cainiao', accountName: 'cainiao-feiyue', kind: 'logistics_account' });
  return { id, handoverId: (await agree(api, id, LOGISTICS_BACK)).amendmentId };
};
/** The partial handover with every item completed: ready for the sign-offs. */
const withPartialHandoverDone = async (api: TestApi): Promise<Setup> => {
  const setup = await withPartialHandover(api);
  await completeOpenItems(api, setup.id, { handoverId: setup.handoverId });
  return setup;
};
/** One party proposed to waive an item the other now answers: the final checklist's inventory, or the partial one's re-pointing. */
const withWaiverProposed =
  (setup: (api: TestApi) => Promise<Setup>, itemId: string) =>
  async (api: TestApi): Promise<Setup> => {
    const found = await setup(api);
    await api
      .as(BRAND)
      .post(`${handoverPath(found.id, found.handoverId)}/items/${itemId}/waiver`, { party: 'brand', reason: 'Not applicable' });
    return found;
  };
const withAuthorization = async (api: TestApi): Promise<Setup> => {
  const { id } = await active(api);
  const granted = await api
    .as(BRAND)
    .post(`/contracts/${id}/authorizations`, { type: 'online_distribution', platform: 'tmall', documentRef: 'A-1' });
  return { id, authorizationId: granted.body.authorizationId };
};
/** An incident of the brand's daily shipping, as the operator reports it. */
const BRAND_INCIDENT = {
  duty: 'daily_shipping',
  reportedBy: 'operator',
  occurredOn: '2028-03-01',
  description: 'Not shipped',
  evidenceRef: 'EV',
};
/** The operator's notice of the brand's breach, on a clause. */
const BRAND_BREACH = { breachingParty: 'brand', clause: '2', description: 'Late shipping', evidenceRef: 'EV', noticedOn: '2028-03-02' };
const withBrandIncident = async (api: TestApi): Promise<Setup> => {
  const { id } = await active(api);
  return { id, incidentId: (await api.as(OPERATOR).post(`/contracts/${id}/incidents`, BRAND_INCIDENT)).body.incidentId };
};
const withBrandBreach = async (api: TestApi): Promise<Setup> => {
  const { id } = await active(api);
  return { id, breachId: (await api.as(OPERATOR).post(`/contracts/${id}/breaches`, BRAND_BREACH)).body.breachId };
};
/** The brand claims the cure of the operator's notice: the operator answers it. */
const withCureClaimed = async (api: TestApi): Promise<Setup> => {
  const setup = await withBrandBreach(api);
  await api.as(BRAND).post(`/contracts/${setup.id}/breaches/${setup.breachId}/cure`, { curedOn: '2028-03-20', evidenceRef: 'EV-CURE' });
  return setup;
};
const terminateOn = (api: TestApi, id: string, effectiveOn: string) =>
  api.as(OPERATOR).post(`/contracts/${id}/termination`, {
    initiatedBy: 'operator',
    grounds: 'stipulated_condition',
    conditionId: '12.3',
    effectiveOn,
  });
const terminatedOn =
  (effectiveOn: string) =>
  async (api: TestApi): Promise<Setup> => {
    const { id } = await active(api);
    await terminateOn(api, id, effectiveOn);
    return { id };
  };
const terminated = terminatedOn('2028-01-01');
/** The brand's incident still unanswered when the contract ends: the brand answers it during the handover, where a coordinator sees the contract. */
const withIncidentInHandover = async (api: TestApi): Promise<Setup> => {
  const setup = await withBrandIncident(api);
  await terminateOn(api, setup.id, '2028-04-01');
  return setup;
};
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
const withdrawn = async (api: TestApi): Promise<Setup> => {
  const { id } = await drafted(api);
  await api.as(BRAND).post(`/contracts/${id}/withdrawal`, { party: 'brand', reason: 'Drafted again', withdrawnOn: '2026-11-20' });
  return { id };
};
const withKey = async (api: TestApi): Promise<Setup> => ({
  id: '',
  keyId: (await api.as('admin').post('/admin/keys', { role: 'auditor', label: 'to revoke' })).body.keyId,
});

/**
 * The steps both handovers take, on the final one (the contract in
 * handover: a coordinator sees it and is refused its steps but completions)
 * and on a partial one (the contract active: a coordinator does not see it),
 * each on an item of the operator's. The sign-offs are tried on a partial
 * handover completed, and on the final one as it starts (the OpenAPI answers
 * test signs a completed one off).
 */
const HANDOVERS = [
  { path: '/contracts/:id/handover', setup: terminated, forSignOffs: terminated, item: 'inventory-return', coordinator: '403' },
  {
    path: '/contracts/:id/partial-handovers/:handoverId',
    setup: withPartialHandover,
    forSignOffs: withPartialHandoverDone,
    item: 'logistics-repointing',
    coordinator: '404',
  },
];

/** Figures for evidence of any kind but the final settlement, which no route here completes with them. */
const NO_SETTLEMENT: SettlementFigures = { serviceFeesFen: 0, commissionFen: 0 };
/** The inventory returned: the operator's item on the final checklist of the story's contract (warehousing stays outsourced). */
const INVENTORY_RETURNED = handoverEvidence('inventory_return', NO_SETTLEMENT);

/** A step of the final handover, or of the partial one when the setup has one. */
const step = ({ id, handoverId }: Setup, path: string, body: unknown) => ({
  method: 'POST' as const,
  path: `${handoverPath(id, handoverId)}/${path}`,
  body,
});

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
    route: 'POST /contracts/:id/withdrawal (by the brand that drafted it)',
    setup: drafted,
    request: ({ id }) => ({
      method: 'POST',
      path: `/contracts/${id}/withdrawal`,
      body: { party: 'brand', reason: 'Drafted again', withdrawnOn: '2026-11-20' },
    }),
    expected: '401 ok 403 404 404 403 404 ok',
  },
  ...(['brand', 'operator'] as const).map((party): Route => ({
    route: `POST /contracts/:id/amendments (proposed by the ${party})`,
    setup: active,
    request: ({ id }) => ({
      method: 'POST',
      path: `/contracts/${id}/amendments`,
      body: { proposedBy: party, documentRef: 'SA', effectiveOn: '2027-06-01', changes: [{ type: 'remove_scope', scope: 'logistics' }] },
    }),
    expected: party === 'brand' ? '401 ok 403 404 404 403 404 ok' : '401 403 ok 404 404 403 404 ok',
  })),
  {
    route: "POST /contracts/:id/amendments/:amendmentId/countersignature (the brand's proposal)",
    setup: withProposal,
    request: ({ id, amendmentId }) => ({
      method: 'POST',
      path: `/contracts/${id}/amendments/${amendmentId}/countersignature`,
      body: { party: 'operator', signatory: 'a', countersignedOn: '2027-05-20' },
    }),
    expected: '401 403 ok 404 404 403 404 ok',
  },
  {
    route: "POST /contracts/:id/amendments/:amendmentId/rejection (the brand's proposal)",
    setup: withProposal,
    request: ({ id, amendmentId }) => ({
      method: 'POST',
      path: `/contracts/${id}/amendments/${amendmentId}/rejection`,
      body: { party: 'operator', reason: 'Too much', rejectedOn: '2027-05-20' },
    }),
    expected: '401 403 ok 404 404 403 404 ok',
  },
  {
    route: "POST /contracts/:id/amendments/:amendmentId/withdrawal (the brand's proposal)",
    setup: withProposal,
    request: ({ id, amendmentId }) => ({
      method: 'POST',
      path: `/contracts/${id}/amendments/${amendmentId}/withdrawal`,
      body: { withdrawnOn: '2027-05-20' },
    }),
    expected: '401 ok 403 404 404 403 404 ok',
  },
  {
    route: 'POST /contracts/:id/accounts',
    setup: active,
    request: ({ id }) => ({
      method: 'POST',
      path: `/contracts/${id}/accounts`,
      body: { platform: 'tmall', accountName: 'x', kind: 'sub_account' },
    }),
    expected: '401 ok ok 404 404 403 404 ok',
  },
  ...(['brand', 'operator'] as const).map((party): Route => ({
    route: `POST /contracts/:id/accounts/:accountId/deregistration (by the ${party})`,
    setup: withAccount,
    request: ({ id, accountId }) => ({
      method: 'POST',
      path: `/contracts/${id}/accounts/${accountId}/deregistration`,
      body: { party, reason: 'The shop closed' },
    }),
    expected: party === 'brand' ? '401 ok 403 404 404 403 404 ok' : '401 403 ok 404 404 403 404 ok',
  })),
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
  ...(
    [
      ['operator', 'daily_shipping', '401 403 ok 404 404 403 404 ok'],
      ['brand', 'customer_service_response', '401 ok 403 404 404 403 404 ok'],
    ] as const
  ).map(([reportedBy, duty, expected]): Route => ({
    route: `POST /contracts/:id/incidents (${duty}, reported by the ${reportedBy})`,
    setup: active,
    request: ({ id }) => ({ method: 'POST', path: `/contracts/${id}/incidents`, body: { ...BRAND_INCIDENT, duty, reportedBy } }),
    expected,
  })),
  // The brand owes daily shipping: it answers the operator's incident, on an active contract and during the handover.
  ...(
    [
      ['acknowledgement', { acknowledgedOn: '2028-03-03' }],
      ['contest', { reason: 'Shipped on time', contestedOn: '2028-03-03' }],
    ] as const
  ).flatMap(([answer, body]): Route[] => [
    {
      route: `POST /contracts/:id/incidents/:incidentId/${answer} (by the brand, which owes the duty)`,
      setup: withBrandIncident,
      request: ({ id, incidentId }) => ({ method: 'POST', path: `/contracts/${id}/incidents/${incidentId}/${answer}`, body }),
      expected: '401 ok 403 404 404 403 404 ok',
    },
    {
      route: `POST /contracts/:id/incidents/:incidentId/${answer} (during the handover)`,
      setup: withIncidentInHandover,
      request: ({ id, incidentId }) => ({ method: 'POST', path: `/contracts/${id}/incidents/${incidentId}/${answer}`, body }),
      expected: '401 ok 403 404 404 403 403 ok',
    },
  ]),
  ...(['brand', 'operator'] as const).map((breachingParty): Route => ({
    route: `POST /contracts/:id/breaches (notice of the ${breachingParty}'s breach)`,
    setup: active,
    request: ({ id }) => ({ method: 'POST', path: `/contracts/${id}/breaches`, body: { ...BRAND_BREACH, breachingParty } }),
    // The other party serves the notice.
    expected: breachingParty === 'brand' ? '401 403 ok 404 404 403 404 ok' : '401 ok 403 404 404 403 404 ok',
  })),
  // The brand, on whom the operator served notice, answers it and claims its cure.
  ...(
    [
      ['acknowledgement', { acknowledgedOn: '2028-03-04' }],
      ['contest', { reason: 'A courier strike', contestedOn: '2028-03-04' }],
      ['cure', { curedOn: '2028-03-20', evidenceRef: 'EV-CURE' }],
    ] as const
  ).map(([answer, body]): Route => ({
    route: `POST /contracts/:id/breaches/:breachId/${answer} (by the brand, the breaching party)`,
    setup: withBrandBreach,
    request: ({ id, breachId }) => ({ method: 'POST', path: `/contracts/${id}/breaches/${breachId}/${answer}`, body }),
    expected: '401 ok 403 404 404 403 404 ok',
  })),
  // The operator, which served the notice, answers the cure the brand claims.
  ...(
    [
      ['acceptance', { curedOn: '2028-03-20', acceptedOn: '2028-03-22' }],
      ['rejection', { curedOn: '2028-03-20', reason: 'Orders still wait', rejectedOn: '2028-03-22' }],
    ] as const
  ).map(([answer, body]): Route => ({
    route: `POST /contracts/:id/breaches/:breachId/cure/${answer} (by the operator, the notifying party)`,
    setup: withCureClaimed,
    request: ({ id, breachId }) => ({ method: 'POST', path: `/contracts/${id}/breaches/${breachId}/cure/${answer}`, body }),
    expected: '401 403 ok 404 404 403 404 ok',
  })),
  {
    route: 'POST /contracts/:id/termination (by the operator)',
    setup: active,
    request: ({ id }) => ({
      method: 'POST',
      path: `/contracts/${id}/termination`,
      body: { initiatedBy: 'operator', grounds: 'stipulated_condition', conditionId: '12.3', effectiveOn: '2028-01-01' },
    }),
    expected: '401 403 ok 404 404 403 404 ok',
  },
  {
    route: 'POST /contracts/:id/termination (by the brand)',
    setup: active,
    request: ({ id }) => ({
      method: 'POST',
      path: `/contracts/${id}/termination`,
      body: { initiatedBy: 'brand', grounds: 'stipulated_condition', conditionId: '12.3', effectiveOn: '2028-01-01' },
    }),
    expected: '401 ok 403 404 404 403 404 ok',
  },
  {
    route: "POST /contracts/:id/handover/items/:itemId/completion (the operator's item)",
    setup: terminated,
    request: (setup) => step(setup, 'items/inventory-return/completion', { evidence: INVENTORY_RETURNED }),
    expected: '401 403 ok 404 404 403 ok ok',
  },
  {
    route: 'POST /contracts/:id/handover/items/:itemId/completion (an item of both)',
    setup: settled,
    request: (setup) => step(setup, 'items/final-settlement/completion', { evidence: finalSettlement(setup.settlement!) }),
    // The final settlement agrees the ledger's open figures: the parties', not a coordinator's.
    expected: '401 ok ok 404 404 403 403 ok',
  },
  // A partial handover runs while the contract is active: a coordinator, who sees contracts in handover only, does not see it (HANDOVERS).
  {
    route: "POST /contracts/:id/partial-handovers/:handoverId/items/:itemId/completion (the operator's item)",
    setup: withPartialHandover,
    request: (setup) =>
      step(setup, 'items/logistics-repointing/completion', { evidence: handoverEvidence('logistics_repointing', NO_SETTLEMENT) }),
    expected: '401 403 ok 404 404 403 404 ok',
  },
  ...HANDOVERS.flatMap(({ path, setup, forSignOffs, item, coordinator }): Route[] => [
    {
      route: `POST ${path}/items/:itemId/waiver (proposed by the brand)`,
      setup,
      request: (found) => step(found, `items/${item}/waiver`, { party: 'brand', reason: 'Not applicable' }),
      expected: `401 ok 403 404 404 403 ${coordinator} ok`,
    },
    {
      route: `POST ${path}/items/:itemId/waiver/agreement (by the operator)`,
      setup: withWaiverProposed(setup, item),
      request: (found) => step(found, `items/${item}/waiver/agreement`, { party: 'operator', signatory: 'a' }),
      expected: `401 403 ok 404 404 403 ${coordinator} ok`,
    },
    {
      route: `POST ${path}/items/:itemId/dispute (by the brand)`,
      setup,
      request: (found) => step(found, `items/${item}/dispute`, { party: 'brand', reason: 'Half of it is missing' }),
      expected: `401 ok 403 404 404 403 ${coordinator} ok`,
    },
    ...(['brand', 'operator'] as const).map((party): Route => ({
      route: `POST ${path}/sign-offs (as ${party})`,
      setup: forSignOffs,
      // After the evidence of every item (a sign-off closes what was done before it).
      request: (found) => step(found, 'sign-offs', { party, signatory: 'a', signedOffOn: '2028-05-02' }),
      expected: party === 'brand' ? `401 ok 403 404 404 403 ${coordinator} ok` : `401 403 ok 404 404 403 ${coordinator} ok`,
    })),
  ]),
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
  // Every key reads its own view of the deadlines, as in the contract list (test/contracts/deadlines.e2e.spec.ts reads them).
  {
    route: 'GET /deadlines',
    setup: async () => ({ id: '' }),
    request: () => ({ method: 'GET', path: '/deadlines?within=366d' }),
    expected: '401 ok ok ok ok ok ok ok',
  },
  {
    route: 'GET /deadlines.ics',
    setup: async () => ({ id: '' }),
    request: () => ({ method: 'GET', path: '/deadlines.ics' }),
    expected: '401 ok ok ok ok ok ok ok',
  },
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
    route: 'GET /contracts/:id (an agreement in force, a partial handover)',
    setup: withPartialHandover,
    request: ({ id }) => ({ method: 'GET', path: `/contracts/${id}` }),
    expected: '401 ok ok 404 404 ok 404 ok',
  },
  {
    route: 'GET /contracts/:id (a draft withdrawn)',
    setup: withdrawn,
    request: ({ id }) => ({ method: 'GET', path: `/contracts/${id}` }),
    expected: '401 ok ok 404 404 ok 404 ok',
  },
  {
    route: 'GET /contracts/:id/handover (a partial handover, the contract active)',
    setup: withPartialHandover,
    request: ({ id }) => ({ method: 'GET', path: `/contracts/${id}/handover` }),
    expected: '401 ok ok 404 404 ok 404 ok',
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
    route: 'GET /me',
    setup: async () => ({ id: '' }),
    request: () => ({ method: 'GET', path: '/me' }),
    expected: '401 ok ok ok ok ok ok ok',
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
