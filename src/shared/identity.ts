/**
 * Who is calling: the identity every feature speaks of. Authentication
 * (src/auth) establishes it from an API key; each feature decides what it
 * may do (for contracts, src/contracts/domain/access.ts).
 */

export const ROLES = ['brand', 'operator', 'auditor', 'coordinator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** An authenticated caller: brand and operator principals act for one party. */
export interface Principal {
  readonly keyId: string;
  readonly role: Role;
  readonly partyId?: string;
}

/** How a principal appears in events: role, party where there is one, and its key. */
export function actorOf(principal: Principal): string {
  return [principal.role, principal.partyId, principal.keyId].filter(Boolean).join(':');
}
