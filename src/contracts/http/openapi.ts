import type { ParameterObject, SchemaObject } from '@nestjs/swagger';
import { IF_MATCH_PATTERN } from '../../http/etag';
import { TOKEN_FORMAT } from '../../http/headers';
import {
  arrayOf,
  boolean,
  date,
  instant,
  integer,
  json,
  nullable,
  object,
  oneOfValues,
  ref,
  text,
  uuid,
  type Answer,
  type OpenApiContribution,
  type OperationDoc,
} from '../../http/openapi-parts';
import { AUTHENTICATED, BODY, merge, QUERY, type ProblemCodes } from '../../http/openapi-problems';
import { propertiesOf, type Schemas } from '../../http/openapi-schemas';
import { ACCOUNT_KINDS, AUTHORIZATION_TYPES, TERMINATION_GROUNDS } from '../domain/events';
import { HANDOVER_ITEM_KINDS } from '../domain/handover';
import { PARTIES, SCOPES } from '../domain/terms';
import { SETTLED_LEDGER_FIGURES } from '../read-side/views';

/** The contract routes in the OpenAPI document: what they answer, and the problems they can answer. */

/** A `:id` path parameter: a UUID, and a contract the key may see. */
export const CONTRACT: ProblemCodes = { 400: ['request.invalid_id'], 404: ['contract.not_found'] };
/** Reads from the read models, waiting for `minPosition`. */
export const READ_MODELS: ProblemCodes = {
  400: ['request.position_ahead'],
  503: ['read_models.behind', 'read_models.stopped', 'read_models.contract_quarantined'],
};
/** A contract's history folded in the request: one event stored before the schema gate may not match its schema. */
const FOLDED: ProblemCodes = { 409: ['history.malformed'] };
/** Every contract write: headers, concurrency, idempotency, the command's own schema, the history it is decided on. */
const WRITE_PATH: ProblemCodes = merge(FOLDED, {
  400: ['request.invalid_header'],
  409: ['concurrency.contention'],
  412: ['concurrency.stale_revision'],
  422: ['idempotency.key_reused', 'command.invalid'],
});
/** Auditors change nothing; coordinators only complete handover items. */
export const NOT_A_PARTY: ProblemCodes = { 403: ['access.read_only', 'access.coordinator'] };
export const ONE_SIDE: ProblemCodes = { 403: ['access.not_your_side'] };

/** A draft its drafter withdrew takes no command: it never took effect. */
const NOT_WITHDRAWN: ProblemCodes = { 409: ['contract.withdrawn'] };

export const contractWrite = (...own: ProblemCodes[]) => merge(AUTHENTICATED, BODY, CONTRACT, WRITE_PATH, NOT_WITHDRAWN, ...own);

/** Request headers every contract write honours. */
const WRITE_HEADERS: ParameterObject[] = [
  {
    name: 'If-Match',
    in: 'header',
    required: false,
    description: 'Write only if the contract is still at this ETag; else 412',
    schema: { type: 'string', pattern: IF_MATCH_PATTERN },
  },
  {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description: `A retry with the same key and body answers the first answer and writes nothing; with another body 422. ${TOKEN_FORMAT}`,
    schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
  },
];

export const WRITTEN: Answer = {
  status: 201,
  description: 'Recorded (or nothing to do)',
  content: json('WriteResponse'),
  headers: ['ETag', 'Idempotent-Replayed'],
};
/** A write that creates something answers its id. */
export const creating = (id: string): Answer => ({
  ...WRITTEN,
  content: { 'application/json': { allOf: [ref('WriteResponse'), { required: [id] }] } },
});
export const write = (answer: Answer, problems: ProblemCodes, example?: unknown): OperationDoc => ({
  answers: [answer],
  problems,
  headers: WRITE_HEADERS,
  ...(example === undefined ? {} : { example }),
});

/** A step on one item of a handover's checklist. */
const ITEM: ProblemCodes = { 404: ['handover.item_not_found'] };
/** Answering a proposed agreement: it must exist and still await an answer. */
const PROPOSAL: ProblemCodes = { 404: ['amendment.not_found'], 409: ['contract.not_active', 'amendment.not_proposed'] };
/** What an agreement is checked against when proposed and again when countersigned. */
const AGREEMENT_CHECKS: ProblemCodes = {
  409: ['ledger.month_already_stated'],
  422: [
    'amendment.outside_term',
    'amendment.out_of_order',
    'amendment.scope_not_outsourced',
    'amendment.last_scope',
    'amendment.scope_already_outsourced',
    'amendment.term_not_extended',
    'amendment.changes_nothing',
    'amendment.shop_already_run',
    'amendment.shop_not_run',
    'amendment.condition_already_stipulated',
    'amendment.condition_not_stipulated',
    'contract.term_too_long',
  ],
};
/** Accounts and authorizations are recorded while the contract runs: not on a draft, not once it ended. */
const RUNNING: ProblemCodes = { 409: ['contract.not_active', 'contract.ended'] };

/**
 * The two operations of a handover step's handler (see the controller's
 * onEitherHandover): on the final handover, `<handler>` (Nest's
 * `<handler>[0]` falls back to it), and on a partial one, `<handler>[1]`,
 * Nest's id of the handler's second path. Each answers the step's problems
 * and its own: the final handover is there once the contract is terminated,
 * a partial one is named by its id.
 */
function onEitherHandover(
  handler: string,
  {
    problems,
    final = {},
    partial = {},
    example,
  }: { problems: ProblemCodes; final?: ProblemCodes; partial?: ProblemCodes; example: unknown },
): Record<string, OperationDoc> {
  const operation = `ContractsController_${handler}`;
  const closed: ProblemCodes = { 409: ['contract.closed'] };
  return {
    [operation]: write(WRITTEN, merge(problems, closed, { 409: ['handover.not_started'] }, final), example),
    [`${operation}[1]`]: write(WRITTEN, merge(problems, closed, { 404: ['handover.not_found'] }, partial), example),
  };
}

function contractSchemas(requests: Schemas): Schemas {
  // A global position of the log, written as reads take it back.
  const position = propertiesOf(requests.ConsistentReadQuery).minPosition;
  const keyDates = object(
    { termEndsOn: date, terminationNoticeDueBy: date },
    { terminatedOn: date, handoverDueOn: { ...date, description: 'The termination date plus the handover period in force then' } },
  );
  const scopes = arrayOf(oneOfValues(SCOPES));
  const terms = object({
    scopes,
    shops: arrayOf(ref('ShopDto')),
    fees: ref('FeesDto'),
    shipping: ref('ShippingDto'),
    promotion: ref('PromotionDto'),
    clauses: ref('ClausesDto'),
    term: ref('TermDto'),
    noticePeriodDays: integer,
    curePeriodDays: integer,
    handoverPeriodDays: integer,
    terminationConditions: arrayOf(ref('TerminationConditionDto')),
  });
  const party = oneOfValues(PARTIES);
  const status = propertiesOf(requests.ContractListQueryDto).status;
  const signature = object({ signatory: text, signedOn: date });
  // No `initiatedBy` when the term ran out (the service recorded the expiry); `clause` on a stipulated condition cited before the terms listed them.
  const termination = object(
    {
      effectiveOn: date,
      grounds: object(
        { type: oneOfValues(TERMINATION_GROUNDS) },
        { breachId: text, documentRef: text, brandSignatory: text, operatorSignatory: text, conditionId: text, clause: text },
      ),
    },
    { initiatedBy: party },
  );
  const changes = propertiesOf(requests.AmendmentDto).changes;
  const shown = evidenceAsShown(requests);
  const { evidence } = shown;
  const amendment = object({ amendmentId: uuid, documentRef: text, effectiveOn: date, changes });
  const reason = text;
  const counts = { completed: integer, waived: integer, disputed: integer, open: integer, total: integer };
  /** A checklist, the final one or a partial one: items, progress, sign-offs. */
  const checklist = {
    items: arrayOf(
      object(
        {
          itemId: text,
          kind: oneOfValues(HANDOVER_ITEM_KINDS),
          subject: text,
          responsibleParty: oneOfValues([...PARTIES, 'both']),
          status: oneOfValues(['open', 'completed', 'waived', 'disputed']),
        },
        {
          accountId: uuid,
          authorizationId: uuid,
          scope: oneOfValues(SCOPES),
          evidence,
          completedBy: text,
          completedAt: instant,
          waiver: object({ proposedBy: party, reason, agreedBy: party, signatory: text }),
          waiverProposed: object({ proposedBy: party, reason }),
          dispute: object({ disputedBy: party, reason }),
        },
      ),
    ),
    progress: object({ ...counts, byResponsibleParty: object({ brand: object(counts), operator: object(counts), both: object(counts) }) }),
    signOffs: object(
      {},
      { brand: object({ signatory: text, signedOffOn: date }), operator: object({ signatory: text, signedOffOn: date }) },
    ),
    canSignOff: boolean,
  };
  /** A partial handover is named by the agreement that took its scopes back: `handoverId` is that agreement's `amendmentId`. */
  const partial = { handoverId: text, scopes, effectiveOn: date };
  /** The day a handover is due: the handover period of the terms in force when it started, after it started. */
  const dueOn = { ...date, description: 'The handover period of the terms in force on its effective date, after that date' };

  return {
    WriteResponse: object(
      { contractId: uuid, revision: integer, position, recorded: { ...arrayOf(text), example: ['ContractSigned', 'ContractActivated'] } },
      {
        accountId: uuid,
        authorizationId: uuid,
        incidentId: uuid,
        breachId: uuid,
        amendmentId: uuid,
        reportId: uuid,
        statementId: uuid,
        paymentId: uuid,
      },
    ),
    ContractListPage: object({
      items: arrayOf(
        object(
          { contractId: uuid, revision: integer, status, brand: ref('PartyRefDto'), operator: ref('PartyRefDto'), scopes, keyDates },
          { quarantined: { type: 'boolean', enum: [true] } },
        ),
      ),
      nextCursor: nullable(uuid),
    }),
    ContractSummary: object(
      {
        contractId: uuid,
        status,
        brand: ref('PartyRefDto'),
        operator: ref('PartyRefDto'),
        terms,
        keyDates,
        originalTerms: terms,
        amendments: arrayOf(amendment),
        signatures: object({}, { brand: signature, operator: signature }),
        proposals: arrayOf(
          object(
            { amendment, proposedBy: party, status: oneOfValues(['proposed', 'countersigned', 'rejected', 'withdrawn']) },
            {
              countersigned: object({ party, signatory: text, countersignedOn: date }),
              rejected: object({ party, reason, rejectedOn: date }),
              withdrawnOn: date,
            },
          ),
        ),
        partialHandovers: arrayOf(object({ ...partial, signedOff: boolean })),
        accounts: arrayOf(
          object(
            {
              accountId: uuid,
              platform: text,
              accountName: text,
              accountKind: oneOfValues(ACCOUNT_KINDS),
              registered: boolean,
              status: oneOfValues(['registered', 'deregistration_requested', 'deregistered', 'handed_back']),
            },
            {
              declaredBy: party,
              deregistrationRequested: object({ reason }),
              handedBack: object({ receivedBy: text, receivedAt: instant }),
            },
          ),
        ),
        authorizations: arrayOf(
          object(
            {
              authorizationId: uuid,
              authorizationType: oneOfValues(AUTHORIZATION_TYPES),
              platform: text,
              documentRef: text,
              status: oneOfValues(['granted', 'revoked']),
            },
            { revoked: object({ documentRef: text, revokedOn: date }) },
          ),
        ),
        incidents: arrayOf(ref('DutyIncident')),
        incidentCounts: ref('IncidentCounts'),
        breaches: arrayOf(ref('BreachNotice')),
      },
      {
        termsOn: date,
        consultingFee: ref('ConsultingFeeDto'),
        activatedOn: date,
        termination,
        closedOn: date,
        withdrawn: object({ party, reason, withdrawnOn: date }),
      },
    ),
    // The final checklist's parts once the contract is terminated; the partial handovers from the first agreement that took a scope back.
    HandoverChecklist: object(
      { contractId: uuid, status, partialHandovers: arrayOf(object({ ...partial, dueOn, ...checklist })) },
      { termination, dueOn, ...checklist },
    ),
    [SETTLEMENT_SHOWN]: shown.settlement,
  };
}

/** The checklist's final settlement as shown to a reader who may not see the ledger: without its figures. */
const SETTLEMENT_SHOWN = 'FinalSettlementEvidenceAsShown';

/**
 * The evidence as the checklist shows it: the request's union, but the final
 * settlement's figures only for those who may see the ledger (views.ts), so
 * its member there does not require them.
 */
function evidenceAsShown(requests: Schemas): { evidence: SchemaObject; settlement: SchemaObject } {
  const { oneOf = [], discriminator } = propertiesOf(requests.CompletionDto).evidence;
  const mapping = discriminator?.mapping ?? {};
  const requested = mapping.final_settlement;
  const settlement = requests[requested.replace('#/components/schemas/', '')];
  const hidden: readonly string[] = SETTLED_LEDGER_FIGURES;
  return {
    evidence: {
      oneOf: oneOf.map((member) => ('$ref' in member && member.$ref === requested ? ref(SETTLEMENT_SHOWN) : member)),
      discriminator: { propertyName: 'kind', mapping: { ...mapping, final_settlement: ref(SETTLEMENT_SHOWN).$ref } },
    },
    settlement: {
      ...settlement,
      required: (settlement.required ?? []).filter((field) => !hidden.includes(field)),
      description: `${SETTLED_LEDGER_FIGURES.join(' and ')}, the ledger's figures, only for readers who may see the ledger`,
    },
  };
}

/** The examples come from the seed story: a sports-shoe brand, its operator, the logistics amendment. */
export const contractsOpenApi: OpenApiContribution = {
  schemas: contractSchemas,
  operations: {
    ContractsController_draft: write(
      WRITTEN,
      merge(AUTHENTICATED, BODY, WRITE_PATH, {
        403: ['access.cannot_draft', 'access.not_your_party'],
        409: ['contract.already_exists'],
        422: [
          'contract.term_ends_before_start',
          'contract.term_too_long',
          'contract.no_scope',
          'contract.duplicate_scope',
          'contract.duplicate_condition',
          'contract.same_parties',
          'contract.consulting_fee_after_start',
        ],
      }),
      {
        brand: { partyId: 'brand-feiyue', name: 'Feiyue Sports' },
        operator: { partyId: 'op-yunshang', name: 'Yunshang E-commerce' },
        scopes: ['operations', 'marketing', 'customer_service', 'warehousing', 'logistics'],
        shops: [{ platform: 'tmall', name: 'Feiyue Tmall flagship store' }],
        fees: { serviceFeeMonthlyFen: 3000000, commissionRateBp: 1200, commissionBase: 'net_of_shipping' },
        shipping: { costBorneBy: 'brand', freeShipping: true },
        promotion: { monthlyBudgetFen: 10000000 },
        clauses: { onlineDistributionAuthorized: true, rightsEnforcementAuthorized: true },
        term: { startsOn: '2027-01-01', endsOn: '2029-12-31' },
        noticePeriodDays: 90,
        curePeriodDays: 30,
        handoverPeriodDays: 30,
        terminationConditions: [
          { conditionId: '12.3', description: 'Tmall closes the flagship store for good' },
          { conditionId: '12.4', description: 'The brand loses the trademark licence for the products sold' },
        ],
      },
    ),
    ContractsController_withdrawDraft: write(
      WRITTEN,
      contractWrite(NOT_A_PARTY, ONE_SIDE, { 409: ['contract.not_draft'], 422: ['contract.not_drafter'] }),
      { party: 'brand', reason: 'The operator asked for other fees: we draft again', withdrawnOn: '2026-11-20' },
    ),
    ContractsController_sign: write(WRITTEN, contractWrite(NOT_A_PARTY, ONE_SIDE, { 409: ['contract.already_signed'] }), {
      party: 'brand',
      signatory: 'Zhang Wei',
      signedOn: '2026-12-01',
    }),
    ContractsController_amend: write(
      creating('amendmentId'),
      contractWrite(NOT_A_PARTY, ONE_SIDE, { 409: ['contract.not_active', 'amendment.already_recorded'] }, AGREEMENT_CHECKS),
      {
        proposedBy: 'brand',
        documentRef: 'SA-2028-01 (own warehouse logistics)',
        effectiveOn: '2028-01-01',
        changes: [{ type: 'remove_scope', scope: 'logistics' }],
      },
    ),
    ContractsController_countersignAmendment: write(
      WRITTEN,
      contractWrite(NOT_A_PARTY, ONE_SIDE, PROPOSAL, AGREEMENT_CHECKS, { 422: ['amendment.own_proposal'] }),
      { party: 'operator', signatory: 'Li Na', countersignedOn: '2027-12-15' },
    ),
    ContractsController_rejectAmendment: write(
      WRITTEN,
      contractWrite(NOT_A_PARTY, ONE_SIDE, PROPOSAL, { 422: ['amendment.own_proposal'] }),
      { party: 'operator', reason: 'The courier contracts run until March: not before then', rejectedOn: '2027-12-15' },
    ),
    ContractsController_withdrawAmendment: write(WRITTEN, contractWrite(NOT_A_PARTY, ONE_SIDE, PROPOSAL), { withdrawnOn: '2027-12-10' }),
    ContractsController_registerAccount: write(
      creating('accountId'),
      contractWrite(NOT_A_PARTY, ONE_SIDE, RUNNING, { 409: ['account.already_registered', 'account.scope_taken_back'] }),
      { platform: 'tmall', accountName: 'feiyue旗舰店', kind: 'shop_master_account' },
    ),
    ContractsController_deregisterAccount: write(WRITTEN, contractWrite(NOT_A_PARTY, ONE_SIDE, RUNNING, { 404: ['account.not_found'] }), {
      party: 'operator',
      reason: 'The JD shop closed in March: the account was shut down with it',
    }),
    ContractsController_grantAuthorization: write(
      creating('authorizationId'),
      contractWrite(NOT_A_PARTY, ONE_SIDE, RUNNING, { 422: ['authorization.not_allowed_by_clauses'] }),
      { type: 'online_distribution', platform: 'tmall', documentRef: 'AUTH-DIST-2027' },
    ),
    ContractsController_revokeAuthorization: write(
      WRITTEN,
      contractWrite(NOT_A_PARTY, ONE_SIDE, RUNNING, { 404: ['authorization.not_found'] }),
      { documentRef: 'REVOKE-2028-07', revokedOn: '2028-04-03' },
    ),
    ContractsController_terminate: write(
      WRITTEN,
      contractWrite(NOT_A_PARTY, ONE_SIDE, {
        409: ['contract.already_terminated', 'contract.not_active', 'ledger.month_already_stated'],
        422: [
          'termination.before_start',
          'termination.after_term',
          'termination.breach_not_found',
          'termination.own_breach',
          'termination.breach_cured',
          'termination.cure_period_running',
          'termination.before_expiry',
          'termination.condition_not_cited',
          'termination.condition_not_stipulated',
        ],
      }),
      { initiatedBy: 'operator', grounds: 'breach', breachId: '<breachId>', effectiveOn: '2028-04-01' },
    ),
    ...onEitherHandover('completeItem', {
      problems: contractWrite(ONE_SIDE, ITEM, {
        403: ['access.read_only', 'access.settlement_by_parties'],
        409: ['handover.item_already_completed', 'handover.item_waived'],
      }),
      final: { 422: ['handover.evidence_mismatch', 'handover.withdrawals_unconfirmed', 'handover.settlement_differs'] },
      partial: { 422: ['handover.evidence_mismatch'] },
      example: {
        evidence: {
          kind: 'credential_handover',
          rotatedBy: 'op-yunshang:li.na',
          rotatedAt: '2028-04-02T10:00:00+08:00',
          receivedBy: 'brand-feiyue:zhang.wei',
          receivedAt: '2028-04-02T11:00:00+08:00',
        },
      },
    }),
    ...onEitherHandover('proposeWaiver', {
      problems: contractWrite(NOT_A_PARTY, ONE_SIDE, ITEM, {
        409: ['handover.item_already_completed', 'handover.item_waived', 'handover.waiver_pending'],
      }),
      // Only the final checklist has the final settlement, which always applies.
      final: { 422: ['handover.not_waivable'] },
      example: { party: 'operator', reason: 'The brand ships from its own warehouse: the operator never held inventory' },
    }),
    ...onEitherHandover('agreeWaiver', {
      problems: contractWrite(NOT_A_PARTY, ONE_SIDE, ITEM, {
        409: ['handover.item_already_completed', 'handover.item_waived', 'handover.no_waiver_proposed'],
        422: ['handover.own_waiver'],
      }),
      example: { party: 'brand', signatory: 'Zhang Wei' },
    }),
    ...onEitherHandover('disputeItem', {
      problems: contractWrite(NOT_A_PARTY, ONE_SIDE, ITEM, {
        409: ['handover.item_already_completed', 'handover.item_waived', 'handover.item_disputed'],
      }),
      example: { party: 'brand', reason: 'Two courier accounts still ship to the operator’s warehouse' },
    }),
    ...onEitherHandover('signOff', {
      problems: contractWrite(NOT_A_PARTY, ONE_SIDE, {
        409: ['handover.already_signed_off', 'handover.items_open', 'handover.items_disputed'],
        422: ['handover.sign_off_before_item'],
      }),
      // The final sign-off waits for every partial handover.
      final: { 409: ['handover.partial_open'] },
      example: { party: 'brand', signatory: 'Zhang Wei', signedOffOn: '2028-05-02' },
    }),
    ContractsController_list: {
      answers: [
        { status: 200, description: 'A page of contracts; pass `nextCursor` as `after` for the next', content: json('ContractListPage') },
      ],
      problems: merge(AUTHENTICATED, QUERY, READ_MODELS),
    },
    ContractsController_get: {
      answers: [{ status: 200, description: 'The contract summary', content: json('ContractSummary'), headers: ['ETag'] }],
      problems: merge(AUTHENTICATED, QUERY, CONTRACT, READ_MODELS, FOLDED),
    },
    ContractsController_getHandover: {
      answers: [
        {
          status: 200,
          description: 'The final checklist once the contract is terminated, and the partial handovers of scopes taken back',
          content: json('HandoverChecklist'),
          headers: ['ETag'],
        },
      ],
      problems: merge(AUTHENTICATED, QUERY, CONTRACT, READ_MODELS, FOLDED, { 404: ['handover.not_started'] }),
    },
    ContractsController_streamHandover: {
      answers: [
        {
          status: 200,
          description:
            'Server-Sent Events: `event: checklist`, `id:` the revision, `data:` the HandoverChecklist as JSON (null while there is no handover)',
          content: { 'text/event-stream': text },
        },
      ],
      problems: merge(AUTHENTICATED, CONTRACT, { 503: ['read_models.stopped', 'read_models.contract_quarantined'] }),
    },
  },
};
