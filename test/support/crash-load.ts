import { DRAFT } from './contract-api';
import { httpCall, type HttpAnswer } from './http-client';

/**
 * The load of the crash-under-load test: concurrent writers that draft,
 * sign, register accounts, propose agreements and countersign them, half of
 * them with an Idempotency-Key,
 * and remember every 2xx answer (what the service acknowledged) and every
 * request that got no answer (in doubt: it may or may not be written).
 */

/** A small seeded generator (mulberry32): the same seed picks the same writes and kill delays. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type WriteKind = 'draft' | 'sign' | 'account' | 'amend' | 'countersign';
export const WRITE_KINDS: readonly WriteKind[] = ['draft', 'sign', 'account', 'amend', 'countersign'];
export type Writer = 'brand' | 'operator';

export interface WriteRequest {
  readonly kind: WriteKind;
  readonly as: Writer;
  readonly path: string;
  readonly body: unknown;
  /** Letters, digits and dashes only. */
  readonly idempotencyKey?: string;
}

/** A 2xx answer to a write: what the service promised is stored. */
export interface Ack {
  readonly request: WriteRequest;
  readonly contractId: string;
  readonly revision: number;
  readonly position: string;
  readonly recorded: readonly string[];
  readonly replayed: boolean;
  readonly body: Record<string, unknown>;
}

export function ackOf(request: WriteRequest, answer: HttpAnswer): Ack {
  const { contractId, revision, position, recorded } = answer.body as {
    contractId: string;
    revision: number;
    position: string;
    recorded: string[];
  };
  return {
    request,
    contractId,
    revision,
    position,
    recorded,
    replayed: answer.headers.get('idempotent-replayed') === 'true',
    body: answer.body,
  };
}

/** What one round of load saw. */
export interface RoundLoad {
  readonly acks: Ack[];
  /** Requests sent before the kill that got no answer. */
  readonly inDoubt: WriteRequest[];
  /** Non-2xx answers by status and problem code, e.g. `409 concurrency.contention`. */
  readonly refused: Map<string, number>;
  /** Requests that failed without an answer before the kill: never expected. */
  readonly failedBeforeKill: string[];
}

interface KnownContract {
  readonly id: string;
  brandSignature: 'none' | 'requested';
  operatorSignature: 'none' | 'requested';
  active: boolean;
  /**
   * Agreements the brand proposed that no write countersigns yet: each is
   * countersigned once, as each signature is asked once (a second one would
   * have nothing to do, and record nothing its key could be replayed from).
   */
  readonly proposals: string[];
}

const SIGNATURES = {
  brand: { party: 'brand', signatory: 'Zhang Wei', signedOn: '2026-12-01' },
  operator: { party: 'operator', signatory: 'Li Na', signedOn: '2026-12-03' },
} as const;
/** Writers pick among the latest contracts, so that some writes race on one contract. */
const HOT_CONTRACTS = 24;
/** No single request may hang a round. */
const REQUEST_TIMEOUT_MS = 60_000;

/**
 * The writers' view of the contracts, across rounds and restarts: which
 * exist, which signature was asked for, which are active. Only acknowledged
 * writes change it, so it never assumes more than the service promised.
 */
export class ContractLoad {
  private readonly contracts: KnownContract[] = [];
  private readonly byId = new Map<string, KnownContract>();
  private sequence = 0;

  constructor(
    private readonly random: () => number,
    private readonly seed: number,
  ) {}

  get contractIds(): string[] {
    return this.contracts.map((contract) => contract.id);
  }

  /** Learns from an acknowledged write (also from a retry answered after a restart). */
  learn(ack: Ack): void {
    let contract = this.byId.get(ack.contractId);
    if (!contract) {
      contract = { id: ack.contractId, brandSignature: 'none', operatorSignature: 'none', active: false, proposals: [] };
      this.contracts.push(contract);
      this.byId.set(contract.id, contract);
    }
    if (ack.recorded.includes('ContractActivated')) contract.active = true;
    if (ack.recorded.includes('AmendmentProposed')) contract.proposals.push(ack.body.amendmentId as string);
  }

  /**
   * The next write: a kind drawn at random if the known contracts allow it
   * (accounts and agreements need an active contract, a countersignature a
   * proposal), else a signature one still needs, else a draft; with or
   * without an Idempotency-Key.
   */
  next(): WriteRequest {
    this.sequence += 1;
    const n = this.sequence;
    const idempotencyKey = this.random() < 0.5 ? `crash-${this.seed}-${n}` : undefined;
    const roll = this.random();
    const drawn: WriteKind = roll < 0.3 ? 'sign' : roll < 0.4 ? 'countersign' : roll < 0.55 ? 'amend' : roll < 0.8 ? 'account' : 'draft';
    const write = this.write(drawn, n) ?? this.write('sign', n) ?? this.write('draft', n)!;
    return { ...write, ...(idempotencyKey ? { idempotencyKey } : {}) };
  }

  private write(kind: WriteKind, n: number): Omit<WriteRequest, 'idempotencyKey'> | undefined {
    const hot = this.contracts.slice(-HOT_CONTRACTS);
    const pick = <T>(from: readonly T[]): T | undefined => from[Math.floor(this.random() * from.length)];
    const contract = pick(
      hot.filter((candidate) => {
        if (kind === 'sign') return candidate.brandSignature === 'none' || candidate.operatorSignature === 'none';
        return kind === 'countersign' ? candidate.proposals.length > 0 : candidate.active;
      }),
    );
    switch (kind) {
      case 'draft':
        return { kind, as: 'brand', path: '/contracts', body: DRAFT };
      case 'sign': {
        if (!contract) return undefined;
        const party: Writer = contract.brandSignature === 'none' ? 'brand' : 'operator';
        contract[party === 'brand' ? 'brandSignature' : 'operatorSignature'] = 'requested';
        return { kind, as: party, path: `/contracts/${contract.id}/signatures`, body: SIGNATURES[party] };
      }
      case 'countersign': {
        if (!contract) return undefined;
        const [amendmentId] = contract.proposals.splice(Math.floor(this.random() * contract.proposals.length), 1);
        const countersignature = { party: 'operator', signatory: 'Li Na', countersignedOn: '2027-05-20' };
        return {
          kind,
          as: 'operator',
          path: `/contracts/${contract.id}/amendments/${amendmentId}/countersignature`,
          body: countersignature,
        };
      }
      case 'amend': {
        if (!contract) return undefined;
        const amendment = {
          proposedBy: 'brand',
          documentRef: `SA-${this.seed}-${n}`,
          effectiveOn: '2027-06-01',
          // A fee no other amendment sets, so that it always changes something.
          changes: [{ type: 'change_service_fee', serviceFeeMonthlyFen: 3_000_000 + n }],
        };
        return { kind, as: 'brand', path: `/contracts/${contract.id}/amendments`, body: amendment };
      }
      case 'account': {
        if (!contract) return undefined;
        const account = { platform: 'tmall', accountName: `feiyue-cs-${this.seed}-${n}`, kind: 'sub_account' };
        return { kind, as: 'operator', path: `/contracts/${contract.id}/accounts`, body: account };
      }
    }
  }
}

/** Sends one write as its writer; rejects when no answer comes (connection refused or cut). */
export function send(url: string, keys: Record<Writer, string>, request: WriteRequest): Promise<HttpAnswer> {
  const headers: Record<string, string> = { authorization: `Bearer ${keys[request.as]}` };
  if (request.idempotencyKey) headers['idempotency-key'] = request.idempotencyKey;
  return httpCall(url, 'POST', request.path, request.body, headers, AbortSignal.timeout(REQUEST_TIMEOUT_MS));
}

/**
 * Starts `writers` concurrent writers against the service; each stops after
 * its request in flight once `stop` is called. `onAck` sees the count of
 * acknowledgements as they come (to time the kill).
 */
export function runLoad(
  url: string,
  keys: Record<Writer, string>,
  load: ContractLoad,
  { writers, onAck }: { writers: number; onAck: (acks: number) => void },
): { stop: () => void; finished: Promise<RoundLoad> } {
  const round: RoundLoad = { acks: [], inDoubt: [], refused: new Map(), failedBeforeKill: [] };
  let stopped = false;
  const writer = async () => {
    while (!stopped) {
      const request = load.next();
      let answer: HttpAnswer;
      try {
        answer = await send(url, keys, request);
      } catch (error) {
        round.inDoubt.push(request);
        if (!stopped) round.failedBeforeKill.push(`${request.kind} ${request.path}: ${String(error)}`);
        return;
      }
      if (answer.status >= 200 && answer.status < 300) {
        const ack = ackOf(request, answer);
        round.acks.push(ack);
        load.learn(ack);
        onAck(round.acks.length);
      } else {
        const reason = `${answer.status} ${answer.body?.code ?? ''}`.trim();
        round.refused.set(reason, (round.refused.get(reason) ?? 0) + 1);
      }
    }
  };
  const finished = Promise.all(Array.from({ length: writers }, writer)).then(() => round);
  return { stop: () => (stopped = true), finished };
}
