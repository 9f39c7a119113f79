/**
 * Why a command was refused. `code` is stable (clients match on it); the
 * message is a sentence for people. The domain never speaks HTTP: the
 * exception filter maps the category to a status.
 */
export type RefusalCategory =
  /** The contract or a part of it (account, breach, item ...) does not exist. */
  | 'not_found'
  /** The contract's current state forbids it (already signed, not active, open items ...). */
  | 'conflict'
  /** The request contradicts the contract's rules (own breach, clause not granted ...). */
  | 'invalid'
  /** The principal sees the contract but may not do this (sign as the other party ...). */
  | 'forbidden';

export class ContractRefused extends Error {
  constructor(
    readonly code: string,
    readonly category: RefusalCategory,
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
