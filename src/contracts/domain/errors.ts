import { Refusal, type RefusalCategory } from '../../shared/errors';

/**
 * Why a command was refused. `code` is stable (clients match on it); the
 * message is a sentence for people. The domain never speaks HTTP: the
 * exception filter maps the category to a status. A contract or a part of it
 * (account, breach, item ...) does not exist: `not_found`; its current state
 * forbids the command (already signed, open items ...): `conflict`; the
 * command contradicts its rules (own breach, clause not granted ...):
 * `invalid`; the principal sees the contract but may not do this: `forbidden`.
 */
export type ContractRefusalCategory = Extract<RefusalCategory, 'not_found' | 'conflict' | 'invalid' | 'forbidden'>;

export class ContractRefused extends Refusal {
  constructor(
    readonly code: string,
    readonly category: ContractRefusalCategory,
    message: string,
  ) {
    super(message);
    this.name = 'ContractRefused';
  }
}

export const notFound = (code: string, message: string) => new ContractRefused(code, 'not_found', message);
export const conflict = (code: string, message: string) => new ContractRefused(code, 'conflict', message);
export const invalid = (code: string, message: string) => new ContractRefused(code, 'invalid', message);
export const forbidden = (code: string, message: string) => new ContractRefused(code, 'forbidden', message);

/** The one answer for a contract that does not exist or that the caller may not see: its existence is not leaked. */
export const contractNotFound = () => notFound('contract.not_found', 'There is no such contract.');

/** A refusal with the facts behind it, for clients to act on (the dates involved, the days to report, the figures that differ). */
export class RefusalWithFacts extends ContractRefused {
  constructor(
    refusal: ContractRefused,
    private readonly facts: Readonly<Record<string, unknown>>,
  ) {
    super(refusal.code, refusal.category, refusal.message);
  }

  override get extensions(): Readonly<Record<string, unknown>> {
    return this.facts;
  }
}

export const withFacts = (refusal: ContractRefused, facts: Readonly<Record<string, unknown>>) => new RefusalWithFacts(refusal, facts);
