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
import { AUTHENTICATED, BODY, merge, PARSED, QUERY, type ProblemCodes } from '../../http/openapi-problems';
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

export const contractWrite = (...own: ProblemCodes[]) => merge(AUTHENTICATED, BODY, CONTRACT, WRITE_PATH, ...own);

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

function contractSchemas(requests: Schemas): Schemas {
  // A global position of the log, written as reads take it back.
  const position = propertiesOf(requests.ConsistentReadQuery).minPosition;
  const keyDates = object({ termEndsOn: date, terminationNoticeDueBy: date }, { terminatedOn: date });
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
  });
  const party = oneOfValues(PARTIES);
  const status = propertiesOf(requests.ContractListQueryDto).status;
  const signature = object({ signatory: text, signedOn: date });
  const termination = object({
    initiatedBy: party,
    effectiveOn: date,
    grounds: object(
      { type: oneOfValues(TERMINATION_GROUNDS) },
      { breachId: text, documentRef: text, brandSignatory: text, operatorSignatory: text, clause: text },
    ),
  });
  const changes = propertiesOf(requests.AmendmentDto).changes;
  const shown = evidenceAsShown(requests);

  return {
    WriteResponse: object(
      { contractId: uuid, revision: integer, position, recorded: { ...arrayOf(text), example: ['ContractSigned', 'ContractActivated'] } },
      { accountId: uuid, authorizationId: uuid, breachId: uuid, amendmentId: uuid, reportId: uuid, statementId: uuid, paymentId: uuid },
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
        amendments: arrayOf(object({ amendmentId: uuid, documentRef: text, effectiveOn: date, changes })),
        signatures: object({}, { brand: signature, operator: signature }),
        accounts: arrayOf(
          object({
            accountId: uuid,
            platform: text,
            accountName: text,
            accountKind: oneOfValues(ACCOUNT_KINDS),
            registered: boolean,
            status: oneOfValues(['registered', 'deregistered']),
          }),
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
        breaches: arrayOf(
          object(
            {
              breachId: uuid,
              breachingParty: party,
              clause: text,
              description: text,
              occurredOn: date,
              evidenceRef: text,
              status: oneOfValues(['open', 'cured']),
            },
            { curedOn: date },
          ),
        ),
      },
      { termsOn: date, consultingFee: ref('ConsultingFeeDto'), activatedOn: date, termination, closedOn: date },
    ),
    HandoverChecklist: object({
      contractId: uuid,
      status,
      termination,
      items: arrayOf(
        object(
          {
            itemId: text,
            kind: oneOfValues(HANDOVER_ITEM_KINDS),
            subject: text,
            responsibleParty: oneOfValues([...PARTIES, 'both']),
            status: oneOfValues(['open', 'completed']),
          },
          {
            accountId: uuid,
            authorizationId: uuid,
            scope: oneOfValues(SCOPES),
            evidence: shown.evidence,
            completedBy: text,
            completedAt: instant,
          },
        ),
      ),
      progress: object({ completed: integer, total: integer }),
      signOffs: object(
        {},
        { brand: object({ signatory: text, signedOffOn: date }), operator: object({ signatory: text, signedOffOn: date }) },
      ),
      canSignOff: boolean,
    }),
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
      },
    ),
    ContractsController_sign: write(WRITTEN, contractWrite(NOT_A_PARTY, ONE_SIDE, { 409: ['contract.already_signed'] }), {
      party: 'brand',
      signatory: 'Zhang Wei',
      signedOn: '2026-12-01',
    }),
    ContractsController_amend: write(
      creating('amendmentId'),
      contractWrite(NOT_A_PARTY, {
        409: ['contract.not_active', 'amendment.already_recorded', 'ledger.month_already_stated'],
        422: [
          'amendment.outside_term',
          'amendment.out_of_order',
          'amendment.scope_not_outsourced',
          'amendment.last_scope',
          'amendment.scope_already_outsourced',
          'amendment.term_not_extended',
          'amendment.changes_nothing',
          'contract.term_too_long',
        ],
      }),
      {
        documentRef: 'SA-2028-01 (own warehouse logistics)',
        effectiveOn: '2028-01-01',
        changes: [{ type: 'remove_scope', scope: 'logistics' }],
      },
    ),
    ContractsController_registerAccount: write(
      creating('accountId'),
      contractWrite(NOT_A_PARTY, ONE_SIDE, { 409: ['contract.ended', 'account.already_registered'] }),
      { platform: 'tmall', accountName: 'feiyue旗舰店', kind: 'shop_master_account' },
    ),
    ContractsController_deregisterAccount: write(
      { ...WRITTEN, status: 200 },
      merge(AUTHENTICATED, PARSED, CONTRACT, WRITE_PATH, NOT_A_PARTY, ONE_SIDE, {
        404: ['account.not_found'],
        409: ['contract.ended'],
      }),
    ),
    ContractsController_grantAuthorization: write(
      creating('authorizationId'),
      contractWrite(NOT_A_PARTY, ONE_SIDE, {
        409: ['contract.ended'],
        422: ['authorization.not_allowed_by_clauses'],
      }),
      { type: 'online_distribution', platform: 'tmall', documentRef: 'AUTH-DIST-2027' },
    ),
    ContractsController_revokeAuthorization: write(
      WRITTEN,
      contractWrite(NOT_A_PARTY, ONE_SIDE, {
        404: ['authorization.not_found'],
        409: ['contract.ended'],
      }),
      { documentRef: 'REVOKE-2028-07', revokedOn: '2028-04-03' },
    ),
    ContractsController_recordBreach: write(
      creating('breachId'),
      contractWrite(NOT_A_PARTY, ONE_SIDE, { 409: ['contract.not_active'], 422: ['breach.before_term'] }),
      {
        breachingParty: 'brand',
        clause: 'Brand duty 2: ship every day, on time',
        description: 'Orders of 8-12 March not shipped',
        occurredOn: '2028-03-12',
        evidenceRef: 'EV-ORDERS-0312',
      },
    ),
    ContractsController_cureBreach: write(
      WRITTEN,
      contractWrite(NOT_A_PARTY, ONE_SIDE, {
        404: ['breach.not_found'],
        409: ['contract.not_active'],
        422: ['breach.cured_before_it_occurred'],
      }),
      { curedOn: '2028-03-20' },
    ),
    ContractsController_terminate: write(
      WRITTEN,
      contractWrite(NOT_A_PARTY, ONE_SIDE, {
        409: ['contract.already_terminated', 'contract.not_active', 'ledger.month_already_stated'],
        422: [
          'termination.before_start',
          'termination.breach_not_found',
          'termination.own_breach',
          'termination.breach_cured',
          'termination.before_expiry',
        ],
      }),
      { initiatedBy: 'operator', grounds: 'breach', breachId: '<breachId>', effectiveOn: '2028-04-01' },
    ),
    ContractsController_completeItem: write(
      WRITTEN,
      contractWrite(ONE_SIDE, {
        403: ['access.read_only', 'access.settlement_by_parties'],
        404: ['handover.item_not_found'],
        409: ['contract.closed', 'handover.not_started', 'handover.item_already_completed'],
        422: ['handover.evidence_mismatch', 'handover.withdrawals_unconfirmed', 'handover.settlement_differs'],
      }),
      {
        evidence: {
          kind: 'credential_handover',
          rotatedBy: 'op-yunshang:li.na',
          rotatedAt: '2028-04-02T10:00:00+08:00',
          receivedBy: 'brand-feiyue:zhang.wei',
          receivedAt: '2028-04-02T11:00:00+08:00',
        },
      },
    ),
    ContractsController_signOff: write(
      WRITTEN,
      contractWrite(NOT_A_PARTY, ONE_SIDE, {
        409: ['contract.closed', 'handover.not_started', 'handover.already_signed_off', 'handover.items_open'],
      }),
      { party: 'brand', signatory: 'Zhang Wei', signedOffOn: '2028-05-02' },
    ),
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
      answers: [{ status: 200, description: 'The handover checklist', content: json('HandoverChecklist'), headers: ['ETag'] }],
      problems: merge(AUTHENTICATED, QUERY, CONTRACT, READ_MODELS, FOLDED, { 404: ['handover.not_started'] }),
    },
    ContractsController_streamHandover: {
      answers: [
        {
          status: 200,
          description:
            'Server-Sent Events: `event: checklist`, `id:` the revision, `data:` the HandoverChecklist as JSON (null before termination)',
          content: { 'text/event-stream': text },
        },
      ],
      problems: merge(AUTHENTICATED, CONTRACT, { 503: ['read_models.stopped', 'read_models.contract_quarantined'] }),
    },
  },
};
