/**
 * The problem codes each operation can answer, by status. The domain's codes
 * come from decide/access/terms (category -> status in problem-details.filter.ts),
 * the others from the HTTP edge; test/app/openapi-problems.e2e.spec.ts fails
 * when a code raised anywhere in src is missing here, or one here is raised nowhere.
 */
export type ProblemCodes = Readonly<Partial<Record<number, readonly string[]>>>;

/** Every route behind the API key: the keys are read from the event store. */
const AUTHENTICATED: ProblemCodes = {
  401: ['auth.missing_key', 'auth.invalid_key'],
  429: ['rate_limited'],
  503: ['event_store.unavailable'],
};
/** Admin and auditor routes, refused to other roles before anything else. */
const ROLE_GATED: ProblemCodes = { 403: ['access.role'] };
/** Any request may carry a body, even one whose route reads none: it is parsed (JSON only, size, depth) before routing. */
const PARSED: ProblemCodes = {
  400: ['request.invalid', 'request.too_deep'],
  413: ['request.too_large'],
  415: ['request.unsupported_media_type'],
};
/** A JSON body the route reads: its shape and secrets are checked too, before the handler runs. */
const BODY: ProblemCodes = merge(PARSED, { 400: ['request.secret_refused'] });
/** A query object validated like a body. */
const QUERY: ProblemCodes = { 400: ['request.invalid'] };
/** A `:id` path parameter: a UUID, and a contract the key may see. */
const CONTRACT: ProblemCodes = { 400: ['request.invalid_id'], 404: ['contract.not_found'] };
/** Reads from the read models, waiting for `minPosition`. */
const READ_MODELS: ProblemCodes = {
  400: ['request.position_ahead'],
  503: ['read_models.behind', 'read_models.stopped', 'read_models.contract_quarantined'],
};
/** A contract's history folded in the request: one event stored before the schema gate may not match its schema. */
const FOLDED: ProblemCodes = { 409: ['history.malformed'] };
/** Every contract write: headers, concurrency, idempotency, the command's own schema, the history it is decided on. */
const WRITE: ProblemCodes = merge(FOLDED, {
  400: ['request.invalid_header'],
  409: ['concurrency.contention'],
  412: ['concurrency.stale_revision'],
  422: ['idempotency.key_reused', 'command.invalid'],
});
/** Auditors change nothing; coordinators only complete handover items. */
const NOT_A_PARTY: ProblemCodes = { 403: ['access.read_only', 'access.coordinator'] };
const ONE_SIDE: ProblemCodes = { 403: ['access.not_your_side'] };

const contractWrite = (...own: ProblemCodes[]) => merge(AUTHENTICATED, BODY, CONTRACT, WRITE, ...own);

/** Keyed `Controller_method`, like Nest's operation ids. */
export const PROBLEMS: Readonly<Record<string, ProblemCodes>> = {
  ContractsController_draft: merge(AUTHENTICATED, BODY, WRITE, {
    403: ['access.cannot_draft', 'access.not_your_party'],
    409: ['contract.already_exists'],
    422: [
      'contract.term_ends_before_start',
      'contract.no_scope',
      'contract.duplicate_scope',
      'contract.same_parties',
      'contract.consulting_fee_after_start',
    ],
  }),
  ContractsController_sign: contractWrite(NOT_A_PARTY, ONE_SIDE, { 409: ['contract.already_signed'] }),
  ContractsController_amend: contractWrite(NOT_A_PARTY, {
    409: ['contract.not_active', 'amendment.already_recorded'],
    422: [
      'amendment.outside_term',
      'amendment.out_of_order',
      'amendment.scope_not_outsourced',
      'amendment.last_scope',
      'amendment.scope_already_outsourced',
      'amendment.term_not_extended',
      'amendment.changes_nothing',
    ],
  }),
  ContractsController_registerAccount: contractWrite(NOT_A_PARTY, ONE_SIDE, { 409: ['contract.ended', 'account.already_registered'] }),
  ContractsController_deregisterAccount: merge(AUTHENTICATED, PARSED, CONTRACT, WRITE, NOT_A_PARTY, ONE_SIDE, {
    404: ['account.not_found'],
    409: ['contract.ended'],
  }),
  ContractsController_grantAuthorization: contractWrite(NOT_A_PARTY, ONE_SIDE, {
    409: ['contract.ended'],
    422: ['authorization.not_allowed_by_clauses'],
  }),
  ContractsController_revokeAuthorization: contractWrite(NOT_A_PARTY, ONE_SIDE, {
    404: ['authorization.not_found'],
    409: ['contract.ended'],
  }),
  ContractsController_recordBreach: contractWrite(NOT_A_PARTY, ONE_SIDE, { 409: ['contract.not_active'], 422: ['breach.before_term'] }),
  ContractsController_cureBreach: contractWrite(NOT_A_PARTY, ONE_SIDE, {
    404: ['breach.not_found'],
    409: ['contract.not_active'],
    422: ['breach.cured_before_it_occurred'],
  }),
  ContractsController_terminate: contractWrite(NOT_A_PARTY, ONE_SIDE, {
    409: ['contract.already_terminated', 'contract.not_active'],
    422: [
      'termination.before_start',
      'termination.breach_not_found',
      'termination.own_breach',
      'termination.breach_cured',
      'termination.before_expiry',
    ],
  }),
  ContractsController_completeItem: contractWrite(ONE_SIDE, {
    403: ['access.read_only'],
    404: ['handover.item_not_found'],
    409: ['contract.closed', 'handover.not_started', 'handover.item_already_completed'],
    422: ['handover.evidence_mismatch', 'handover.withdrawals_unconfirmed'],
  }),
  ContractsController_signOff: contractWrite(NOT_A_PARTY, ONE_SIDE, {
    409: ['contract.closed', 'handover.not_started', 'handover.already_signed_off', 'handover.items_open'],
  }),
  ContractsController_list: merge(AUTHENTICATED, QUERY, READ_MODELS),
  ContractsController_get: merge(AUTHENTICATED, QUERY, CONTRACT, READ_MODELS, FOLDED),
  ContractsController_getHandover: merge(AUTHENTICATED, QUERY, CONTRACT, READ_MODELS, FOLDED, { 404: ['handover.not_started'] }),
  ContractsController_streamHandover: merge(AUTHENTICATED, CONTRACT, { 503: ['read_models.stopped', 'read_models.contract_quarantined'] }),
  AuditController_events: merge(AUTHENTICATED, QUERY, CONTRACT),
  AuditController_integrity: merge(AUTHENTICATED, CONTRACT),
  AuditController_digest: merge(AUTHENTICATED, ROLE_GATED, QUERY),
  AuditController_verify: merge(AUTHENTICATED, ROLE_GATED, BODY),
  KeysController_issue: merge(AUTHENTICATED, ROLE_GATED, BODY, { 400: ['keys.invalid_request'] }),
  KeysController_list: merge(AUTHENTICATED, ROLE_GATED),
  KeysController_revoke: merge(AUTHENTICATED, PARSED, ROLE_GATED, { 404: ['keys.not_found'] }),
  // Health answers in Terminus's format, not with problems (see its 503 response).
  HealthController_live: {},
  HealthController_ready: {},
};

function merge(...parts: ProblemCodes[]): ProblemCodes {
  const merged: Record<number, string[]> = {};
  for (const part of parts) {
    for (const [status, codes] of Object.entries(part))
      merged[Number(status)] = [...new Set([...(merged[Number(status)] ?? []), ...(codes ?? [])])];
  }
  return merged;
}
