import {
  agree,
  BRAND,
  DRAFT,
  handoverPath,
  LOGISTICS_BACK,
  OPERATOR,
  salesOver,
  settleLedger,
  type JsonCall,
} from '../support/contract-api';
import { handoverEvidence, type SettlementFigures } from '../support/contract-fixtures';
import type { HandoverItemKind } from '../../src/contracts/domain/handover';
import type { Hints, Random } from './generate';
import { send, type Answer, type Service, type WireRequest } from './service';

/** The principals the fuzzer holds keys for, named like the role matrix names them. */
export const CALLERS = ['admin', BRAND, OPERATOR, 'brand:brand-other', 'operator:op-other', 'auditor', 'coordinator'] as const;
export type Caller = (typeof CALLERS)[number];

/** The service with a key for every caller; JSON in, JSON out. */
export class Api {
  private constructor(
    readonly service: Service,
    readonly keys: ReadonlyMap<Caller, string>,
  ) {}

  /** Issues a key for every role through the admin key API, as an operator of the service would. */
  static async withKeys(service: Service): Promise<Api> {
    const keys = new Map<Caller, string>([['admin', service.adminKey]]);
    const api = new Api(service, keys);
    for (const caller of CALLERS.filter((name) => name !== 'admin')) {
      const [role, partyId] = caller.split(':');
      const { key } = await api.json('admin', 'POST', '/admin/keys', { role, ...(partyId ? { partyId } : {}), label: `fuzz ${caller}` });
      keys.set(caller, key as string);
    }
    return api;
  }

  bearer(caller: Caller): string {
    return `Bearer ${this.keys.get(caller)}`;
  }

  call(caller: Caller, method: string, path: string, body?: unknown): Promise<Answer> {
    const wire: WireRequest = {
      method,
      path,
      headers: { authorization: this.bearer(caller), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    };
    return send(this.service.url, wire);
  }

  /** A setup call that must succeed: its JSON answer. */
  // Untyped JSON: the fixtures read the few fields they need.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async json(caller: Caller, method: string, path: string, body?: unknown): Promise<any> {
    const answer = await this.call(caller, method, path, body);
    if (answer.status < 200 || answer.status >= 300) {
      throw new Error(`setup ${method} ${path} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    }
    return JSON.parse(answer.body || 'null');
  }
}

/** A contract (or key, or digest) in the state a write route needs, with the ids of its parts. */
export interface Target {
  readonly id?: string;
  readonly revision?: number;
  /** The global position of the last write of its setup, for a read to wait for. */
  readonly position?: string;
  readonly accounts: readonly string[];
  readonly authorizations: readonly string[];
  /** Duty incidents: one of each party's. */
  readonly incidents: readonly string[];
  /** Breach notices: one on each party. */
  readonly breaches: readonly string[];
  /** The brand's uncured breach, the operator's grounds to terminate (its cure period runs out on 2028-04-01). */
  readonly brandBreach?: string;
  readonly items: readonly { readonly itemId: string; readonly kind: string }[];
  /** Supplementary agreements proposed and awaiting an answer. */
  readonly proposals: readonly string[];
  /** The partial handover the items are on, if they are on one. */
  readonly handoverId?: string;
  /** Sales reports (the first awaiting confirmation) and statements of its ledger. */
  readonly reports: readonly string[];
  readonly statements: readonly string[];
  readonly keyId?: string;
  readonly digest?: { readonly position: string; readonly digest: string };
}

export type TargetState =
  | 'none'
  | 'drafted'
  | 'active'
  | 'rich'
  | 'proposed'
  | 'partial'
  | 'partial done'
  | 'ledger'
  | 'terminated'
  | 'handover done'
  | 'closed'
  | 'key'
  | 'digest';

const EMPTY: Target = {
  accounts: [],
  authorizations: [],
  incidents: [],
  breaches: [],
  items: [],
  proposals: [],
  reports: [],
  statements: [],
};

/** Figures for evidence of any kind but the final settlement: a partial handover settles nothing. */
const NO_SETTLEMENT: SettlementFigures = { serviceFeesFen: 0, commissionFen: 0 };

/** The story's one shop, as a sales report names it. */
const SHOP = { platform: DRAFT.shops[0].platform, shopName: DRAFT.shops[0].name };

/** A month of the story's shop, reported in full. */
const salesReport = (month: string, lastDay: number) => ({
  ...SHOP,
  periodStart: `${month}-01`,
  periodEnd: `${month}-${lastDay}`,
  ...salesOver(lastDay),
  documentRef: `SALES-${month}`,
});

/** Builds targets through the real API, each step a valid request of the story. */
export class Fixtures {
  /** Every contract the fixtures drafted, for the integrity check at the end. */
  readonly contracts = new Set<string>();

  constructor(private readonly api: Api) {}

  /** The API as the contract helpers call it: a setup step that must succeed. */
  private readonly calls: JsonCall = async (caller, method, path, body) => ({
    status: 200,
    body: await this.api.json(caller as Caller, method, path, body),
  });

  build(state: TargetState): Promise<Target> {
    return this.builders[state]();
  }

  private readonly builders: Readonly<Record<TargetState, () => Promise<Target>>> = {
    none: async () => EMPTY,
    drafted: () => this.drafted(),
    active: () => this.active(),
    rich: () => this.rich(),
    proposed: () => this.proposed(),
    partial: () => this.partial(),
    'partial done': () => this.partialDone(),
    ledger: () => this.ledger(),
    terminated: () => this.terminated(),
    'handover done': () => this.handoverDone(),
    closed: () => this.closed(),
    key: async () => ({
      ...EMPTY,
      keyId: (await this.api.json('admin', 'POST', '/admin/keys', { role: 'auditor', label: 'fuzz: to revoke' })).keyId,
    }),
    digest: async () => {
      const { position, digest } = await this.api.json('auditor', 'GET', '/audit/digest');
      return { ...EMPTY, digest: { position, digest } };
    },
  };

  private async drafted(): Promise<Target> {
    const { contractId, revision } = await this.api.json(BRAND, 'POST', '/contracts', DRAFT);
    this.contracts.add(contractId);
    return { ...EMPTY, id: contractId, revision };
  }

  private async active(): Promise<Target> {
    const { id } = await this.drafted();
    await this.api.json(BRAND, 'POST', `/contracts/${id}/signatures`, { party: 'brand', signatory: 'Zhang Wei', signedOn: '2026-12-01' });
    const { revision } = await this.api.json(OPERATOR, 'POST', `/contracts/${id}/signatures`, {
      party: 'operator',
      signatory: 'Li Na',
      signedOn: '2026-12-03',
    });
    return { ...EMPTY, id, revision };
  }

  /**
   * Active, with accounts, authorizations, an incident of each party's duties
   * and a notice on each citing it; the operator claims the cure of the
   * brand's notice, which the brand may answer.
   */
  private async rich(): Promise<Target> {
    const { id } = await this.active();
    const post = (caller: Caller, part: string, body: unknown) => this.api.json(caller, 'POST', `/contracts/${id}/${part}`, body);
    const accounts = [
      (await post(OPERATOR, 'accounts', { platform: 'tmall', accountName: 'feiyue旗舰店', kind: 'shop_master_account' })).accountId,
      (await post(OPERATOR, 'accounts', { platform: 'alipay', accountName: 'feiyue-finance@alipay', kind: 'alipay_account' })).accountId,
    ];
    const authorizations = [
      (await post(BRAND, 'authorizations', { type: 'online_distribution', platform: 'tmall', documentRef: 'AUTH-DIST-2027' }))
        .authorizationId,
      (await post(BRAND, 'authorizations', { type: 'rights_enforcement', platform: 'tmall', documentRef: 'AUTH-IPR-2027' }))
        .authorizationId,
    ];
    const incident = (duty: string, reportedBy: string) => ({
      duty,
      reportedBy,
      occurredOn: '2028-03-01',
      description: 'Not done that day',
      evidenceRef: 'EV-0301',
    });
    const incidents = [
      (await post(OPERATOR, 'incidents', incident('daily_shipping', 'operator'))).incidentId,
      (await post(BRAND, 'incidents', incident('customer_service_response', 'brand'))).incidentId,
    ];
    const notice = (breachingParty: string, incidentId: string) => ({
      breachingParty,
      incidentIds: [incidentId],
      description: 'Not done since 1 March',
      evidenceRef: 'NOTICE-0302',
      noticedOn: '2028-03-02',
    });
    const brandBreach = (await post(OPERATOR, 'breaches', notice('brand', incidents[0]))).breachId;
    const operatorBreach = (await post(BRAND, 'breaches', notice('operator', incidents[1]))).breachId;
    const { revision } = await post(OPERATOR, `breaches/${operatorBreach}/cure`, { curedOn: '2028-03-20', evidenceRef: 'EV-CURE' });
    return { ...EMPTY, id, revision, accounts, authorizations, incidents, breaches: [brandBreach, operatorBreach], brandBreach };
  }

  /** Active, with an agreement proposed by each party, each awaiting the other's answer. */
  private async proposed(): Promise<Target> {
    const { id } = await this.active();
    const proposals: string[] = [];
    let revision = 0;
    for (const proposedBy of ['brand', 'operator'] as const) {
      const proposed = await this.api.json(proposedBy === 'brand' ? BRAND : OPERATOR, 'POST', `/contracts/${id}/amendments`, {
        proposedBy,
        documentRef: `SA-${proposedBy}`,
        effectiveOn: '2027-06-01',
        changes: [{ type: 'change_promotion_budget', monthlyBudgetFen: 12_000_000 }],
      });
      proposals.push(proposed.amendmentId);
      revision = proposed.revision;
    }
    return { ...EMPTY, id, revision, proposals };
  }

  /** Active, with logistics taken back by an agreement in force: its partial handover (a logistics account, the couriers) is open. */
  private async partial(): Promise<Target> {
    const { id } = await this.active();
    const account = await this.api.json(OPERATOR, 'POST', `/contracts/${id}/accounts`, {
      platform: 'cainiao',
      accountName: 'cainiao-feiyue',
      kind: 'logistics_account',
    });
    const { amendmentId, countersigned } = await agree(this.calls, id!, LOGISTICS_BACK);
    const { revision, position } = countersigned;
    // Folded from the stream at that revision, so setup does not depend on the read models being live.
    const { partialHandovers } = await this.api.json('admin', 'GET', `/contracts/${id}/handover?revision=${revision}`);
    const items = (partialHandovers[0].items as { itemId: string; kind: string }[]).map(({ itemId, kind }) => ({ itemId, kind }));
    return this.waiverProposed(
      { ...EMPTY, id, revision, position, accounts: [account.accountId], items, handoverId: amendmentId },
      'logistics-repointing',
    );
  }

  /** The partial handover with every item completed: ready for the sign-offs. */
  private async partialDone(): Promise<Target> {
    const partial = await this.partial();
    let revision = partial.revision;
    for (const { itemId, kind } of partial.items) {
      ({ revision } = await this.api.json('admin', 'POST', `${handoverPath(partial.id!, partial.handoverId)}/items/${itemId}/completion`, {
        evidence: handoverEvidence(kind as HandoverItemKind, NO_SETTLEMENT),
      }));
    }
    return { ...partial, revision };
  }

  /** Active, with March 2027 reported and awaiting the brand, April 2027 reported, confirmed and stated. */
  private async ledger(): Promise<Target> {
    const { id } = await this.active();
    const post = (caller: Caller, part: string, body: unknown) => this.api.json(caller, 'POST', `/contracts/${id}/${part}`, body);
    const march = (await post(OPERATOR, 'sales-reports', salesReport('2027-03', 31))).reportId;
    const april = (await post(OPERATOR, 'sales-reports', salesReport('2027-04', 30))).reportId;
    await post(BRAND, `sales-reports/${april}/confirmation`, { confirmedOn: '2027-05-01' });
    const stated = await post(OPERATOR, 'statements', { month: '2027-04', issuedOn: '2027-05-05' });
    return { ...EMPTY, id, revision: stated.revision, reports: [march, april], statements: [stated.statementId] };
  }

  /** Terminated by the operator for the brand's breach: the handover checklist is open, and the brand proposed to waive the inventory. */
  private async terminated(): Promise<Target> {
    const rich = await this.rich();
    const { revision } = await this.api.json(OPERATOR, 'POST', `/contracts/${rich.id}/termination`, {
      initiatedBy: 'operator',
      grounds: 'breach',
      breachId: rich.brandBreach,
      effectiveOn: '2028-04-01',
    });
    // The checklist folded from the stream at that revision, so setup does not depend on the read models being live.
    const { items } = await this.api.json('admin', 'GET', `/contracts/${rich.id}/handover?revision=${revision}`);
    const target = { ...rich, items: (items as { itemId: string; kind: string }[]).map(({ itemId, kind }) => ({ itemId, kind })) };
    return this.waiverProposed(target, 'inventory-return');
  }

  /** The brand proposed to waive one item of the target's handover: the operator may agree. */
  private async waiverProposed(target: Target, itemId: string): Promise<Target> {
    const { revision, position } = await this.api.json(
      BRAND,
      'POST',
      `${handoverPath(target.id!, target.handoverId)}/items/${itemId}/waiver`,
      {
        party: 'brand',
        reason: 'Not applicable here',
      },
    );
    return { ...target, revision, position };
  }

  /** The ledger settled and every checklist item completed: ready for the sign-offs. */
  private async handoverDone(): Promise<Target> {
    const terminated = await this.terminated();
    // The checklist was folded from the stream, without waiting for the read models: the ledger's first read waits.
    const settlement = await settleLedger(this.calls, terminated.id!, { minPosition: terminated.position });
    let revision = terminated.revision;
    for (const { itemId, kind } of terminated.items) {
      ({ revision } = await this.api.json('admin', 'POST', `/contracts/${terminated.id}/handover/items/${itemId}/completion`, {
        evidence: handoverEvidence(kind as HandoverItemKind, settlement),
      }));
    }
    return { ...terminated, revision };
  }

  private async closed(): Promise<Target> {
    const done = await this.handoverDone();
    await this.api.json(OPERATOR, 'POST', `/contracts/${done.id}/handover/sign-offs`, {
      party: 'operator',
      signatory: 'Li Na',
      signedOffOn: '2028-05-01',
    });
    const { revision } = await this.api.json(BRAND, 'POST', `/contracts/${done.id}/handover/sign-offs`, {
      party: 'brand',
      signatory: 'Zhang Wei',
      signedOffOn: '2028-05-02',
    });
    return { ...done, revision };
  }
}

/** How to aim a write route at a real target: the state it needs, who may call it, and hints for its body. */
export interface RoutePlan {
  readonly state: TargetState;
  readonly callers: readonly Caller[];
  readonly hints?: (target: Target, random: Random, params: Readonly<Record<string, string>>) => Hints;
}

const PARTIES: readonly Caller[] = [BRAND, OPERATOR, 'admin'];

/** An item completed with evidence of its own kind, on the final checklist or a partial one. */
const COMPLETION = (state: TargetState): RoutePlan => ({
  state,
  callers: ['coordinator', ...PARTIES],
  hints: (target, _random, params) => ({ 'evidence.kind': target.items.find((item) => item.itemId === params.itemId)?.kind }),
});

/**
 * Plans for the write routes the service has today, keyed `METHOD /path`. A
 * route added later is still fuzzed (from /docs-json) with the default plan.
 */
export const PLANS: Readonly<Record<string, RoutePlan>> = {
  'POST /admin/keys': { state: 'none', callers: ['admin'] },
  'DELETE /admin/keys/{keyId}': { state: 'key', callers: ['admin'] },
  'POST /contracts': {
    state: 'none',
    callers: [BRAND, 'admin'],
    hints: (_target, random) => (random.chance(0.6) ? { 'brand.partyId': 'brand-feiyue', 'operator.partyId': 'op-yunshang' } : {}),
  },
  'POST /contracts/{id}/withdrawal': { state: 'drafted', callers: PARTIES },
  'POST /contracts/{id}/signatures': { state: 'drafted', callers: PARTIES },
  'POST /contracts/{id}/amendments': { state: 'active', callers: PARTIES },
  'POST /contracts/{id}/amendments/{amendmentId}/countersignature': { state: 'proposed', callers: PARTIES },
  'POST /contracts/{id}/amendments/{amendmentId}/rejection': { state: 'proposed', callers: PARTIES },
  'POST /contracts/{id}/amendments/{amendmentId}/withdrawal': { state: 'proposed', callers: PARTIES },
  'POST /contracts/{id}/accounts': { state: 'active', callers: PARTIES },
  'POST /contracts/{id}/accounts/{accountId}/deregistration': { state: 'rich', callers: PARTIES },
  'POST /contracts/{id}/authorizations': { state: 'active', callers: [BRAND, 'admin'] },
  'POST /contracts/{id}/authorizations/{authorizationId}/revocation': { state: 'rich', callers: [BRAND, 'admin'] },
  'POST /contracts/{id}/incidents': {
    state: 'active',
    callers: PARTIES,
    // A duty of the other party's, mostly: the party owed it reports.
    hints: (_target, random) =>
      random.pick([
        { duty: 'daily_shipping', reportedBy: 'operator' },
        { duty: 'customer_service_response', reportedBy: 'brand' },
      ]),
  },
  'POST /contracts/{id}/incidents/{incidentId}/acknowledgement': { state: 'rich', callers: PARTIES },
  'POST /contracts/{id}/incidents/{incidentId}/contest': { state: 'rich', callers: PARTIES },
  'POST /contracts/{id}/breaches': {
    state: 'rich',
    callers: PARTIES,
    hints: (target, random) => ({ incidentIds: [random.pick(target.incidents)] }),
  },
  'POST /contracts/{id}/breaches/{breachId}/acknowledgement': { state: 'rich', callers: PARTIES },
  'POST /contracts/{id}/breaches/{breachId}/contest': { state: 'rich', callers: PARTIES },
  'POST /contracts/{id}/breaches/{breachId}/cure': { state: 'rich', callers: PARTIES },
  'POST /contracts/{id}/breaches/{breachId}/cure/acceptance': { state: 'rich', callers: PARTIES },
  'POST /contracts/{id}/breaches/{breachId}/cure/rejection': { state: 'rich', callers: PARTIES },
  'POST /contracts/{id}/termination': {
    state: 'rich',
    callers: PARTIES,
    // The brand's notice, whose cure period has run out by 2028-04-01; the condition the story's draft stipulates.
    hints: (target) => ({ breachId: target.brandBreach, conditionId: '12.3' }),
  },
  'POST /contracts/{id}/handover/items/{itemId}/completion': COMPLETION('terminated'),
  'POST /contracts/{id}/handover/items/{itemId}/waiver': { state: 'terminated', callers: PARTIES },
  'POST /contracts/{id}/handover/items/{itemId}/waiver/agreement': { state: 'terminated', callers: PARTIES },
  'POST /contracts/{id}/handover/items/{itemId}/dispute': { state: 'terminated', callers: PARTIES },
  'POST /contracts/{id}/handover/sign-offs': { state: 'handover done', callers: PARTIES },
  'POST /contracts/{id}/partial-handovers/{handoverId}/items/{itemId}/completion': COMPLETION('partial'),
  'POST /contracts/{id}/partial-handovers/{handoverId}/items/{itemId}/waiver': { state: 'partial', callers: PARTIES },
  'POST /contracts/{id}/partial-handovers/{handoverId}/items/{itemId}/waiver/agreement': { state: 'partial', callers: PARTIES },
  'POST /contracts/{id}/partial-handovers/{handoverId}/items/{itemId}/dispute': { state: 'partial', callers: PARTIES },
  'POST /contracts/{id}/partial-handovers/{handoverId}/sign-offs': { state: 'partial done', callers: PARTIES },
  'POST /contracts/{id}/sales-reports': {
    state: 'ledger',
    callers: [OPERATOR, 'admin'],
    hints: (_target, random) => {
      const month = `2027-${String(random.int(5, 12)).padStart(2, '0')}`;
      return { ...SHOP, periodStart: `${month}-01`, periodEnd: `${month}-${random.pick(['10', '28'])}` };
    },
  },
  'POST /contracts/{id}/sales-reports/{reportId}/confirmation': { state: 'ledger', callers: [BRAND, 'admin'] },
  'POST /contracts/{id}/sales-reports/{reportId}/dispute': { state: 'ledger', callers: [BRAND, 'admin'] },
  'POST /contracts/{id}/promotion-spend': { state: 'ledger', callers: [OPERATOR, 'admin'] },
  'POST /contracts/{id}/statements': {
    state: 'ledger',
    callers: [OPERATOR, 'admin'],
    hints: (_target, random) => ({ month: random.pick(['2027-03', '2027-04', '2027-05']) }),
  },
  'POST /contracts/{id}/statements/{statementId}/payments': {
    state: 'ledger',
    callers: [BRAND, 'admin'],
    hints: (_target, random) => ({ amountFen: random.int(1, 500_000) }),
  },
  'POST /audit/digest/verification': { state: 'digest', callers: ['auditor', 'admin'], hints: (target) => ({ ...target.digest }) },
};

export const DEFAULT_PLAN: RoutePlan = { state: 'rich', callers: ['admin'] };

/** The target's id for a path parameter, by its name (`accountId` -> one of its accounts). */
export function paramFor(name: string, target: Target, random: Random): string {
  const pick = (ids: readonly string[]) => (ids.length > 0 ? random.pick(ids) : random.uuid());
  switch (name) {
    case 'id':
      return target.id ?? random.uuid();
    case 'accountId':
      return pick(target.accounts);
    case 'authorizationId':
      return pick(target.authorizations);
    case 'incidentId':
      return pick(target.incidents);
    case 'breachId':
      return pick(target.breaches);
    case 'amendmentId':
      return pick(target.proposals);
    case 'handoverId':
      return target.handoverId ?? random.uuid();
    case 'itemId':
      return pick(target.items.map((item) => item.itemId));
    case 'reportId':
      return pick(target.reports);
    case 'statementId':
      return pick(target.statements);
    case 'keyId':
      return target.keyId ?? random.uuid();
    default:
      return random.uuid();
  }
}
