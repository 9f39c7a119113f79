import type { TestApi } from '../support/http-client';
import { MATRIX } from '../support/route-catalog';

/** A JSON value as a test builds it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Body = { [key: string]: Json };

/**
 * One evidence of each kind: the route catalog completes two kinds only (its
 * final settlement, which must agree with the contract's ledger, replaces the
 * one here on its own item; this one is for the item of another kind).
 */
export const EVIDENCE: readonly Body[] = [
  {
    kind: 'credential_handover',
    rotatedBy: 'a',
    rotatedAt: '2028-01-02T10:00:00+08:00',
    receivedBy: 'b',
    receivedAt: '2028-01-02T11:00:00+08:00',
  },
  {
    kind: 'alipay_reconciliation',
    statementDate: '2028-01-31',
    closingBalanceFen: 1,
    pendingRefundsFen: 0,
    withdrawalsConfirmed: true,
    agreedByBrand: 'a',
    agreedByOperator: 'b',
  },
  { kind: 'authorization_revocation', revocationDocumentRef: 'R', revokedOn: '2028-01-03' },
  { kind: 'inventory_return', returnedOn: '2028-01-10', receivedBy: 'a', inventoryListRef: 'I' },
  { kind: 'logistics_repointing', repointedOn: '2028-01-04', accountsRepointed: ['sf-express'], confirmedBy: 'a' },
  {
    kind: 'final_settlement',
    settledOn: '2028-01-31',
    serviceFeesFen: 1,
    commissionFen: 2,
    settlementRef: 'S',
    agreedByBrand: 'a',
    agreedByOperator: 'b',
  },
];

export interface Write {
  readonly route: string;
  readonly method: 'POST' | 'DELETE';
  readonly path: string;
  readonly body?: Body;
}

/**
 * Every write of the API with a valid body, each on a contract in the state
 * it needs (from the route catalog), plus the body parts the catalog leaves
 * out: every evidence kind, a consulting fee, amendment changes with a
 * nested shipping and a date, the terms' periods and stipulated conditions,
 * a breach notice citing incidents, and the two JSON routes outside contracts.
 */
export async function everyWrite(api: TestApi): Promise<Write[]> {
  const writes: Write[] = [];
  for (const row of MATRIX) {
    const request = row.request(await row.setup(api));
    if (request.method === 'GET') continue;
    const body = request.body as Body | undefined;
    const write = { route: row.route, method: request.method, path: request.path };
    writes.push({ ...write, ...(body ? { body } : {}) });
    if (body && 'evidence' in body) {
      // The route's own evidence for its item's kind: a final settlement carries the figures of its contract's ledger.
      const own = body.evidence as Body;
      const variants = EVIDENCE.map((evidence) => (evidence.kind === own.kind ? own : evidence));
      writes.push(...variants.map((evidence) => ({ ...write, route: `${row.route} (${evidence.kind as string})`, body: { evidence } })));
    }
    if (request.path === '/contracts')
      writes.push({
        ...write,
        route: `${row.route} (with a consulting fee)`,
        body: { ...body, consultingFee: { amountFen: 1, paidOn: '2026-11-01' } },
      });
    if (request.path.endsWith('/amendments')) {
      const changes: Json[] = [
        { type: 'change_shipping', shipping: { costBorneBy: 'brand', freeShipping: false } },
        { type: 'extend_term', endsOn: '2030-12-31' },
        { type: 'change_notice_period', noticePeriodDays: 60 },
      ];
      writes.push({ ...write, route: `${row.route} (shipping, term, notice period)`, body: { ...body, changes } });
      const periodsAndConditions: Json[] = [
        { type: 'change_cure_period', curePeriodDays: 14 },
        { type: 'change_handover_period', handoverPeriodDays: 45 },
        { type: 'add_termination_condition', condition: { conditionId: '12.5', description: 'Delisted' } },
        { type: 'remove_termination_condition', conditionId: '12.3' },
      ];
      writes.push({
        ...write,
        route: `${row.route} (cure and handover periods, stipulated conditions)`,
        body: { ...body, changes: periodsAndConditions },
      });
    }
    if (request.path.endsWith('/breaches'))
      writes.push({ ...write, route: `${row.route} (citing incidents)`, body: { ...body, incidentIds: ['incident-1', 'incident-2'] } });
  }
  writes.push({ route: 'POST /admin/keys', method: 'POST', path: '/admin/keys', body: { role: 'brand', partyId: 'brand-x', label: 'x' } });
  writes.push({
    route: 'POST /audit/digest/verification',
    method: 'POST',
    path: '/audit/digest/verification',
    body: { position: '1', digest: '0'.repeat(64) },
  });
  return writes;
}

/** Every field of a body, as a path and its value, depth first. */
export function fields(value: Json, path: Array<string | number> = []): Array<{ path: Array<string | number>; value: Json }> {
  const here = path.length ? [{ path, value }] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, index) => fields(item, [...path, index]))];
  if (value !== null && typeof value === 'object')
    return [...here, ...Object.entries(value).flatMap(([key, item]) => fields(item, [...path, key]))];
  return here;
}

/** A copy of the body with the field at `path` set to `value`. */
export function replaced(body: Json, path: Array<string | number>, value: Json): Json {
  const copy = structuredClone(body) as Record<string | number, Json>;
  let parent = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, Json>;
  parent[path[path.length - 1]] = value;
  return copy;
}
