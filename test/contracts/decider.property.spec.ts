import Database from 'better-sqlite3';
import fc from 'fast-check';
import {
  checkContractEvent,
  EVENT_DATA,
  SCHEMA_VERSIONS,
  type ContractEvent,
  type ContractEventType,
} from '../../src/contracts/domain/events';
import { decide } from '../../src/contracts/domain/decide';
import { ContractRefused } from '../../src/contracts/domain/errors';
import { evolve, initialState, openItems, type ContractState, type Handover } from '../../src/contracts/domain/state';
import { otherParty, PARTIES } from '../../src/contracts/domain/terms';
import { DUTIES } from '../../src/contracts/domain/duties';
import { contractStream } from '../../src/contracts/application/contract-stream';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { PROJECTIONS } from '../../src/catalog';
import {
  CONTRACT_ID,
  FLAGSHIP,
  THE_PARTIES,
  draftTerms,
  finalSettlementEvidence,
  reportSales,
  settlingCommands,
} from '../support/contract-fixtures';

/**
 * Model-based property test of the decider: random sequences of commands,
 * well-formed or not, go through decide, evolve and the read-model
 * projections. Whatever the sequence, decide either refuses with a
 * ContractRefused or returns events that match their schemas, fold without
 * throwing, and project without throwing.
 */

// Small pools, so that random commands often meet the contract they need (a registered account, a recorded breach ...).
const dates = fc.constantFrom(
  '2026-11-01',
  '2026-12-01',
  '2027-01-01',
  '2027-06-30',
  '2028-01-01',
  '2028-03-12',
  '2028-04-01',
  '2029-12-31',
  '2030-06-30',
);
const instants = fc.constantFrom('2028-04-02T10:00:00+08:00', '2028-04-02T12:00:00.000Z', '2030-01-01T00:00:00Z');
const parties = fc.constantFrom('brand' as const, 'operator' as const);
const ids = fc.constantFrom('a1', 'a2', 'b1');
const names = fc.constantFrom('Zhang Wei', 'Li Na', 'REF-1', 'tmall');
const fen = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50_000_000 }));
const scopes = fc.constantFrom('operations', 'marketing', 'warehousing', 'logistics', 'planning');
/** The fixture's terms stipulate 12.3. */
const conditionIds = fc.constantFrom('12.3', '9.9');
const itemIds = fc.constantFrom(
  'credentials-a1',
  'credentials-a2',
  'credentials-b1',
  'alipay-reconciliation',
  'alipay-handover-a1',
  'alipay-handover-a2',
  'revocation-a1',
  'inventory-return',
  'logistics-repointing',
  'final-settlement',
);

const change = fc.oneof(
  fc.record({ type: fc.constantFrom('remove_scope', 'add_scope'), scope: scopes }),
  fc.record({ type: fc.constant('change_service_fee'), serviceFeeMonthlyFen: fen }),
  fc.record({ type: fc.constant('change_commission_rate'), commissionRateBp: fc.integer({ min: 0, max: 10_000 }) }),
  fc.record({ type: fc.constant('change_commission_base'), commissionBase: fc.constantFrom('gross', 'net_of_shipping') }),
  fc.record({ type: fc.constant('change_promotion_budget'), monthlyBudgetFen: fen }),
  fc.record({ type: fc.constant('change_shipping'), shipping: fc.record({ costBorneBy: parties, freeShipping: fc.boolean() }) }),
  fc.record({ type: fc.constant('extend_term'), endsOn: dates }),
  fc.record({ type: fc.constant('change_notice_period'), noticePeriodDays: fc.constantFrom(0, 30, 90, 365) }),
  fc.record({ type: fc.constant('change_cure_period'), curePeriodDays: fc.constantFrom(0, 15, 30) }),
  fc.record({ type: fc.constant('change_handover_period'), handoverPeriodDays: fc.constantFrom(0, 30, 60) }),
  fc.record({
    type: fc.constant('add_termination_condition'),
    condition: fc.record({ conditionId: conditionIds, description: names }),
  }),
  fc.record({ type: fc.constant('remove_termination_condition'), conditionId: conditionIds }),
  fc.record({
    type: fc.constant('change_clauses'),
    clauses: fc.record({ onlineDistributionAuthorized: fc.boolean(), rightsEnforcementAuthorized: fc.boolean() }),
  }),
  fc.record({
    type: fc.constantFrom('add_shop', 'remove_shop'),
    shop: fc.constantFrom(FLAGSHIP, { platform: 'jd', name: 'Feiyue JD store' }),
  }),
);

const credential = (kind: 'credential_handover' | 'alipay_handover') =>
  fc.record({ kind: fc.constant(kind), rotatedBy: names, rotatedAt: instants, receivedBy: names, receivedAt: instants });
const evidence = fc.oneof(
  credential('credential_handover'),
  credential('alipay_handover'),
  fc.record({
    kind: fc.constant('alipay_reconciliation'),
    statementDate: dates,
    closingBalanceFen: fen,
    pendingRefundsFen: fen,
    withdrawalsConfirmed: fc.boolean(),
    agreedByBrand: names,
    agreedByOperator: names,
  }),
  fc.record({ kind: fc.constant('authorization_revocation'), revocationDocumentRef: names, revokedOn: dates }),
  fc.record({ kind: fc.constant('inventory_return'), returnedOn: dates, receivedBy: names, inventoryListRef: names }),
  fc.record({
    kind: fc.constant('logistics_repointing'),
    repointedOn: dates,
    accountsRepointed: fc.array(names, { minLength: 1, maxLength: 3 }),
    confirmedBy: names,
  }),
  fc.record({
    kind: fc.constant('final_settlement'),
    settledOn: dates,
    serviceFeesFen: fen,
    commissionFen: fen,
    settlementRef: names,
    agreedByBrand: names,
    agreedByOperator: names,
  }),
);

// The ledger's pools: periods and months in and out of the service, the statement ids the settling step gives.
const periods = fc.constantFrom(
  ['2027-06-01', '2027-06-30'],
  ['2027-06-01', '2027-06-15'],
  ['2027-06-16', '2027-06-30'],
  ['2028-03-01', '2028-03-31'],
  ['2028-04-01', '2028-04-30'],
  ['2027-06-30', '2027-06-01'],
  ['2027-06-15', '2027-07-15'],
  ['2026-12-01', '2026-12-31'],
);
const months = fc.constantFrom('2026-12', '2027-01', '2027-06', '2028-03', '2028-04', '2030-01');
const statementIds = fc.constantFrom('statement-2027-01', 'statement-2027-06', 'statement-2028-03', 'a1');
const reportIds = fc.constantFrom('a1', 'a2', 'settling-1');
const shops = fc.constantFrom(FLAGSHIP, { platform: 'jd', name: 'Feiyue JD store' });

const ledgerCommand = fc.oneof(
  fc
    .record({
      type: fc.constant('ReportSales'),
      reportId: reportIds,
      shop: shops,
      period: periods,
      grossSalesFen: fen,
      refundsFen: fen,
      shippingCostFen: fen,
      documentRef: names,
      supersedes: fc.option(reportIds, { nil: undefined }),
    })
    .map(({ period: [periodStart, periodEnd], supersedes, ...report }) => ({
      ...report,
      periodStart,
      periodEnd,
      ...(supersedes === undefined ? {} : { supersedes }),
    })),
  fc.record({ type: fc.constant('ConfirmSalesReport'), reportId: reportIds, confirmedOn: dates }),
  fc.record({ type: fc.constant('DisputeSalesReport'), reportId: reportIds, reason: names, disputedOn: dates }),
  fc.record({ type: fc.constant('ReportPromotionSpend'), month: months, spentFen: fen, documentRef: names }),
  fc.record({ type: fc.constant('IssueStatement'), statementId: statementIds, month: months, issuedOn: dates }),
  fc.record({
    type: fc.constant('RecordPayment'),
    paymentId: ids,
    statementId: statementIds,
    amountFen: fc.integer({ min: 1, max: 10_000_000 }),
    paidOn: dates,
    paymentRef: names,
  }),
);

const grounds = fc.oneof(
  fc.record({ type: fc.constant('breach'), breachId: ids }),
  fc.record({ type: fc.constant('mutual_agreement'), documentRef: names, brandSignatory: names, operatorSignatory: names }),
  fc.record({ type: fc.constant('expiry') }),
  fc.record({ type: fc.constant('stipulated_condition'), conditionId: conditionIds }),
);

const draft = fc.record(
  {
    type: fc.constant('DraftContract'),
    contractId: fc.constant(CONTRACT_ID),
    brand: fc.constant(THE_PARTIES.brand),
    operator: fc.constant(THE_PARTIES.operator),
    terms: fc.record({ startsOn: dates, endsOn: dates }).map((term) => draftTerms({ term })),
    draftedBy: parties,
  },
  { requiredKeys: ['type', 'contractId', 'brand', 'operator', 'terms'] },
);
/** The partial handover a step names (an agreement's id), or, as often, none: the final handover. */
const handoverId = fc.option(ids, { nil: undefined, freq: 2 });
/** A record whose `handoverId`, when drawn as undefined, is left out rather than set to undefined (the schemas are strict). */
const naming = <Shape extends { handoverId?: string }>(record: Shape) => {
  const { handoverId: named, ...rest } = record;
  return named === undefined ? rest : record;
};

/** Commands of the right shape, with values that may or may not make sense for the contract. */
const wellFormed = fc.oneof(
  draft,
  fc.record({ type: fc.constant('WithdrawDraft'), party: parties, reason: names, withdrawnOn: dates }),
  fc.record({ type: fc.constant('SignContract'), party: parties, signatory: names, signedOn: dates }),
  fc.record({
    type: fc.constant('ProposeAmendment'),
    amendmentId: ids,
    proposedBy: parties,
    documentRef: names,
    effectiveOn: dates,
    changes: fc.array(change, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ type: fc.constant('CountersignAmendment'), amendmentId: ids, party: parties, signatory: names, countersignedOn: dates }),
  fc.record({ type: fc.constant('RejectAmendment'), amendmentId: ids, party: parties, reason: names, rejectedOn: dates }),
  fc.record({ type: fc.constant('WithdrawAmendment'), amendmentId: ids, withdrawnOn: dates }),
  fc.record(
    {
      type: fc.constant('RegisterAccount'),
      accountId: ids,
      platform: names,
      accountName: names,
      accountKind: fc.constantFrom('shop_master_account', 'alipay_account', 'logistics_account'),
      declaredBy: parties,
    },
    { requiredKeys: ['type', 'accountId', 'platform', 'accountName', 'accountKind'] },
  ),
  fc.record({ type: fc.constant('DeregisterAccount'), accountId: ids, party: parties, reason: names }),
  fc.record({
    type: fc.constant('GrantAuthorization'),
    authorizationId: ids,
    authorizationType: fc.constantFrom('online_distribution', 'rights_enforcement', 'trademark_use'),
    platform: names,
    documentRef: names,
  }),
  fc.record({ type: fc.constant('RevokeAuthorization'), authorizationId: ids, documentRef: names, revokedOn: dates }),
  fc.record({
    type: fc.constant('ReportDutyIncident'),
    incidentId: ids,
    duty: fc.constantFrom(...DUTIES),
    reportedBy: parties,
    occurredOn: dates,
    description: names,
    evidenceRef: names,
  }),
  fc.record({ type: fc.constant('AcknowledgeDutyIncident'), incidentId: ids, acknowledgedOn: dates }),
  fc.record({ type: fc.constant('ContestDutyIncident'), incidentId: ids, reason: names, contestedOn: dates }),
  fc.record(
    {
      type: fc.constant('NoticeBreach'),
      breachId: ids,
      breachingParty: parties,
      clause: names,
      incidentIds: fc.uniqueArray(ids, { maxLength: 2 }),
      description: names,
      evidenceRef: names,
      noticedOn: dates,
    },
    { requiredKeys: ['type', 'breachId', 'breachingParty', 'incidentIds', 'description', 'evidenceRef', 'noticedOn'] },
  ),
  fc.record({ type: fc.constant('AcknowledgeBreach'), breachId: ids, acknowledgedOn: dates }),
  fc.record({ type: fc.constant('ContestBreach'), breachId: ids, reason: names, contestedOn: dates }),
  fc.record({ type: fc.constant('ClaimBreachCure'), breachId: ids, curedOn: dates, evidenceRef: names }),
  fc.record({ type: fc.constant('AcceptBreachCure'), breachId: ids, acceptedOn: dates }),
  fc.record({ type: fc.constant('RejectBreachCure'), breachId: ids, reason: names, rejectedOn: dates }),
  fc.record({ type: fc.constant('TerminateContract'), initiatedBy: parties, grounds, effectiveOn: dates }),
  fc.record({ type: fc.constant('RecordExpiry'), today: dates }),
  // The steps of a handover, each twice as likely as another command: each is split between the final handover and the partial ones.
  ...[
    fc.record({
      type: fc.constant('CompleteHandoverItem'),
      handoverId,
      itemId: itemIds,
      evidence,
      completedBy: names,
      completedAt: instants,
    }),
    fc.record({ type: fc.constant('ProposeItemWaiver'), handoverId, itemId: itemIds, party: parties, reason: names }),
    fc.record({ type: fc.constant('AgreeItemWaiver'), handoverId, itemId: itemIds, party: parties, signatory: names }),
    fc.record({ type: fc.constant('DisputeHandoverItem'), handoverId, itemId: itemIds, party: parties, reason: names }),
    fc.record({ type: fc.constant('SignOffHandover'), handoverId, party: parties, signatory: names, signedOffOn: dates }),
  ].map((step) => ({ arbitrary: step.map(naming), weight: 2 })),
  // Six commands, each as likely as any other command.
  { arbitrary: ledgerCommand, weight: 6 },
);

/** Hostile values: what a client could send where the command expects something else. */
const hostile = fc.oneof(
  fc.constantFrom(null, undefined, [], [[]], [null], {}, '', 'x'.repeat(5000), '2027-13-01', '2027-02-30', -1, 1.5, Number.NaN, true),
  fc.anything({ maxDepth: 3 }),
);

/** A well-formed command with one field, at any depth, replaced by a hostile value or removed. */
const mutated = fc.tuple(wellFormed, fc.nat(), hostile, fc.boolean()).map(([command, pick, value, remove]) => {
  const copy = structuredClone(command) as Record<string, unknown>;
  const paths: (string | number)[][] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      const at = [...path, Array.isArray(node) ? Number(key) : key];
      paths.push(at);
      walk(child, at);
    }
  };
  walk(copy, []);
  const path = paths[pick % paths.length];
  const parent = path
    .slice(0, -1)
    .reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, copy);
  const key = path[path.length - 1];
  if (remove) delete parent[key];
  else parent[key] = value;
  return copy;
});

const completion = (itemId: string, evidence: Record<string, unknown>) => ({
  type: 'CompleteHandoverItem',
  itemId,
  evidence,
  completedBy: 'coordinator:k1',
  completedAt: '2028-04-20T10:00:00.000Z',
});

/** A step of a sequence computed from the state it meets, when the sequence reaches it. */
class Computed {
  constructor(readonly steps: (state: ContractState) => unknown[]) {}
}

/**
 * Settles every service month as the ledger stands (reports, confirmations,
 * corrections, statements: settlingCommands), then, in a handover, completes
 * the final settlement with the figures the ledger leaves open, which random
 * figures all but never meet: the way sequences reach a closed contract.
 */
const settleTheLedger = new Computed((state) => [
  ...settlingCommands(state),
  new Computed((settled) =>
    settled.status === 'terminated' ? [completion('final-settlement', finalSettlementEvidence(settled, '2028-04-30'))] : [],
  ),
]);

/** The commands of a sequence, each computed step expanded on the state the commands before it left. */
function* commandsOf(steps: unknown[], state: () => ContractState): Generator<unknown> {
  const queue = [...steps];
  while (queue.length > 0) {
    const step = queue.shift();
    if (step instanceof Computed) queue.unshift(...step.steps(state()));
    else yield step;
  }
}

/** The contract's handovers, the partial ones before the final one, each with the id that names it (none: the final one). */
function handoversOf(state: ContractState): [Handover, { handoverId?: string }][] {
  if (state.status === 'none') return [];
  return [
    ...state.partialHandovers.map((partial): [Handover, { handoverId?: string }] => [partial, { handoverId: partial.handoverId }]),
    ...('handover' in state ? [[state.handover, {}] as [Handover, { handoverId?: string }]] : []),
  ];
}

/**
 * What random steps, each naming one party, one handover and one item,
 * seldom line up to do: the other party agrees to every waiver proposed;
 * then each party that has not yet signs off every handover with nothing
 * open nor disputed.
 */
const answerTheHandovers = new Computed((state) => [
  ...handoversOf(state).flatMap(([handover, named]) =>
    Object.entries(handover.waiverProposals).map(([itemId, { proposedBy }]) => ({
      type: 'AgreeItemWaiver',
      ...named,
      itemId,
      party: otherParty(proposedBy),
      signatory: 'Zhang Wei',
    })),
  ),
  new Computed((answered) =>
    handoversOf(answered)
      .filter(([handover]) => openItems(handover).length === 0 && Object.keys(handover.disputes).length === 0)
      .flatMap(([handover, named]) =>
        PARTIES.filter((party) => !handover.signOffs[party]).map((party) => ({
          type: 'SignOffHandover',
          ...named,
          party,
          signatory: party,
          signedOffOn: '2028-05-01',
        })),
      ),
  ),
]);

const anyCommand = fc.oneof(
  { arbitrary: wellFormed, weight: 6 },
  { arbitrary: mutated, weight: 3 },
  { arbitrary: fc.anything(), weight: 1 },
  { arbitrary: fc.constantFrom(settleTheLedger, answerTheHandovers), weight: 1 },
);

const active: unknown[] = [
  { type: 'DraftContract', contractId: CONTRACT_ID, ...THE_PARTIES, terms: draftTerms() },
  { type: 'SignContract', party: 'brand', signatory: 'Zhang Wei', signedOn: '2026-12-01' },
  { type: 'SignContract', party: 'operator', signatory: 'Li Na', signedOn: '2026-12-03' },
  { type: 'RegisterAccount', accountId: 'a1', platform: 'tmall', accountName: 'shop', accountKind: 'shop_master_account' },
  { type: 'RegisterAccount', accountId: 'a2', platform: 'alipay', accountName: 'feiyue', accountKind: 'alipay_account' },
  { type: 'RegisterAccount', accountId: 'b1', platform: 'cainiao', accountName: 'feiyue', accountKind: 'logistics_account' },
  { type: 'GrantAuthorization', authorizationId: 'a1', authorizationType: 'online_distribution', platform: 'tmall', documentRef: 'AUTH-1' },
  // An agreement awaiting the brand, which random commands countersign (opening a partial handover), reject or withdraw.
  {
    type: 'ProposeAmendment',
    amendmentId: 'a1',
    proposedBy: 'operator',
    documentRef: 'SA-1',
    effectiveOn: '2028-01-01',
    changes: [{ type: 'remove_scope', scope: 'logistics' }],
  },
  {
    type: 'ReportDutyIncident',
    incidentId: 'a1',
    duty: 'daily_shipping',
    reportedBy: 'operator',
    occurredOn: '2028-02-20',
    description: 'not shipped',
    evidenceRef: 'EV',
  },
  // A notice on the brand whose cure period runs out on 2028-03-31, the day before the termination below.
  {
    type: 'NoticeBreach',
    breachId: 'b1',
    breachingParty: 'brand',
    clause: '5.2',
    incidentIds: ['a1'],
    description: 'not shipped',
    evidenceRef: 'EV',
    noticedOn: '2028-03-01',
  },
  // A cure awaiting the operator's answer, which random commands accept or reject (it does not stop the termination below).
  { type: 'ClaimBreachCure', breachId: 'b1', curedOn: '2028-03-12', evidenceRef: 'CURE-1' },
  // Reports awaiting the brand, which random commands confirm, dispute or correct.
  reportSales('a1', '2027-06-01', '2027-06-30'),
  reportSales('a2', '2028-03-01', '2028-03-31'),
];
const handedOver = {
  rotatedBy: 'Li Na',
  rotatedAt: '2028-04-02T10:00:00+08:00',
  receivedBy: 'Zhang Wei',
  receivedAt: '2028-04-02T11:00:00+08:00',
};
/** The brand countersigned the agreement taking logistics back: its partial handover is open. */
const partialUnderWay: unknown[] = [
  ...active,
  { type: 'CountersignAmendment', amendmentId: 'a1', party: 'brand', signatory: 'Zhang Wei', countersignedOn: '2027-12-20' },
];
/** Terminated for the brand's breach: every item of the final handover is open. */
const inHandover: unknown[] = [
  ...active,
  { type: 'TerminateContract', initiatedBy: 'operator', grounds: { type: 'breach', breachId: 'b1' }, effectiveOn: '2028-04-01' },
];
const everyItemCompleted: unknown[] = [
  ...inHandover,
  completion('credentials-a1', { kind: 'credential_handover', ...handedOver }),
  completion('credentials-b1', { kind: 'credential_handover', ...handedOver }),
  // a2 is the Alipay account: it comes back by its Alipay handover, not a credential item.
  completion('alipay-handover-a2', { kind: 'alipay_handover', ...handedOver }),
  completion('alipay-reconciliation', {
    kind: 'alipay_reconciliation',
    statementDate: '2028-03-31',
    closingBalanceFen: 100,
    pendingRefundsFen: 0,
    withdrawalsConfirmed: true,
    agreedByBrand: 'Zhang Wei',
    agreedByOperator: 'Li Na',
  }),
  completion('revocation-a1', { kind: 'authorization_revocation', revocationDocumentRef: 'R-1', revokedOn: '2028-04-03' }),
  completion('inventory-return', {
    kind: 'inventory_return',
    returnedOn: '2028-04-10',
    receivedBy: 'Warehouse',
    inventoryListRef: 'INV-1',
  }),
  completion('logistics-repointing', {
    kind: 'logistics_repointing',
    repointedOn: '2028-04-10',
    accountsRepointed: ['sf-express'],
    confirmedBy: 'Zhang Wei',
  }),
  settleTheLedger,
];

const oneSignOffAway: unknown[] = [
  ...everyItemCompleted,
  { type: 'SignOffHandover', party: 'operator', signatory: 'Li Na', signedOffOn: '2028-05-01' },
];

/**
 * Where a sequence starts: nothing, a draft, an active contract (with a
 * partial handover under way, or not), a handover just started, or one only
 * sign-offs (or one) away from closing.
 */
const opening = fc.constantFrom<unknown[]>([], active.slice(0, 1), active, partialUnderWay, inHandover, everyItemCompleted, oneSignOffAway);

/** The projections on an in-memory read-model database, fed like the runner feeds them. */
function projectionsInMemory() {
  const db = new Database(':memory:');
  const installed = PROJECTIONS.map((projection) => projection.install(db));
  let revision = -1n;
  return {
    project(event: ContractEvent) {
      revision += 1n;
      const recorded: RecordedEvent = {
        id: `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`,
        stream: contractStream(CONTRACT_ID),
        revision,
        position: { commit: revision + 1n, prepare: revision + 1n },
        recordedAt: new Date(0),
        type: event.type,
        data: event.data,
        metadata: { schemaVersion: SCHEMA_VERSIONS[event.type] },
      };
      for (const projection of installed) projection.apply(recorded);
    },
    close: () => db.close(),
  };
}

describe('the decider, on random command sequences (valid and invalid)', () => {
  it('refuses with a domain refusal or records events that match their schemas, fold and project', () => {
    let refused = 0;
    let recorded = 0;
    const reached = new Set<ContractState['status']>();
    const recordedTypes = new Set<ContractEvent['type']>();
    fc.assert(
      fc.property(opening, fc.array(anyCommand, { maxLength: 30, size: 'medium' }), (start, commands) => {
        let state: ContractState = initialState;
        const read = projectionsInMemory();
        try {
          for (const command of commandsOf([...start, ...commands], () => state)) {
            let events: ContractEvent[];
            try {
              events = decide(command as never, state);
            } catch (error) {
              if (!(error instanceof ContractRefused)) throw error;
              refused += 1;
              continue;
            }
            // Deciding is pure: the same command on the same state decides the same.
            expect(decide(command as never, state)).toEqual(events);
            for (const event of events) {
              const checked = checkContractEvent(event.type, JSON.parse(JSON.stringify(event.data)));
              if ('problem' in checked) throw new Error(`decide emitted a malformed event: ${checked.problem}`);
              state = evolve(state, event);
              read.project(event);
              recorded += 1;
              recordedTypes.add(event.type);
            }
            reached.add(state.status);
          }
        } finally {
          read.close();
        }
      }),
      { numRuns: 300, seed: 20261127 },
    );
    // The generators must reach every status, or the property proves little.
    expect([...reached].sort()).toEqual(['active', 'closed', 'drafted', 'terminated', 'withdrawn']);
    expect(refused).toBeGreaterThan(0);
    expect(recorded).toBeGreaterThan(0);
    // And every fact, the ledger's among them, or the rules that record it were never met.
    expect([...recordedTypes].sort()).toEqual((Object.keys(EVENT_DATA) as ContractEventType[]).sort());
  });

  it('never lets evolve throw, whatever well-formed event comes in whatever state', () => {
    fc.assert(
      fc.property(opening, fc.array(wellFormed, { maxLength: 20 }), (start, commands) => {
        // Events decided against one state, folded into another: evolve is total over every event decide can emit.
        const states: ContractState[] = [initialState];
        const events: ContractEvent[] = [];
        for (const command of commandsOf([...start, ...commands], () => states[states.length - 1])) {
          const state = states[states.length - 1];
          try {
            const decided = decide(command as never, state);
            events.push(...decided);
            states.push(decided.reduce(evolve, state));
          } catch (error) {
            if (!(error instanceof ContractRefused)) throw error;
          }
        }
        for (const state of states) for (const event of events) evolve(state, event);
      }),
      { numRuns: 200, seed: 20261128 },
    );
  });
});

export const __openings = (state: () => ContractState) => commandsOf(oneSignOffAway, state);
