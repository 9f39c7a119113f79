import { authorize, canSeeLedger, requireLedgerVisible } from '../../src/contracts/domain/access';
import { type Principal } from '../../src/shared/identity';
import type { ContractCommand } from '../../src/contracts/domain/commands';
import { fold } from '../../src/contracts/domain/state';
import { aContractInHandover, anActiveContract, refusal } from '../support/contract-fixtures';

const brand: Principal = { keyId: 'k1', role: 'brand', partyId: 'brand-feiyue' };

describe('authorize', () => {
  it('denies a command type it has no rule for, even to the contract’s own party', () => {
    // Compile time: without a rule, `authorize` does not accept the new type at all...
    // @ts-expect-error a command type outside ContractCommand has no access rule
    const call = () => authorize(brand, { type: 'ExportContract' }, fold(anActiveContract()));
    // ...and at run time, whatever slips through is denied, never allowed by default.
    let refused: unknown;
    try {
      call();
    } catch (error) {
      refused = error;
    }
    expect(refused).toEqual(refusal('access.no_rule', 'forbidden'));
    expect(() => authorize(brand, { type: 'ExportContract' } as unknown as ContractCommand, fold(anActiveContract()))).toThrow(
      /No access rule allows ExportContract/,
    );
  });
});

describe('who reads the ledger', () => {
  const principal = (role: Principal['role'], partyId?: string): Principal => ({ keyId: 'k', role, ...(partyId ? { partyId } : {}) });
  const inHandover = fold(aContractInHandover());
  const refusalOf = (check: () => void) => {
    try {
      check();
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it("lets the contract's brand and operator, auditors and admins read it", () => {
    for (const reader of [brand, principal('operator', 'op-yunshang'), principal('auditor'), principal('admin')]) {
      expect({ reader, may: canSeeLedger(reader, inHandover) }).toEqual({ reader, may: true });
      expect(refusalOf(() => requireLedgerVisible(reader, inHandover))).toBeUndefined();
    }
  });

  it('refuses a coordinator who sees the contract with 403, and anyone who does not see it with 404', () => {
    const coordinator = principal('coordinator');
    expect(canSeeLedger(coordinator, inHandover)).toBe(false);
    expect(refusalOf(() => requireLedgerVisible(coordinator, inHandover))).toEqual(refusal('access.ledger_forbidden', 'forbidden'));
    // Before the termination a coordinator does not even see the contract.
    expect(refusalOf(() => requireLedgerVisible(coordinator, fold(anActiveContract())))).toEqual(
      refusal('contract.not_found', 'not_found'),
    );
    for (const stranger of [principal('brand', 'brand-other'), principal('operator', 'op-other')]) {
      expect(canSeeLedger(stranger, inHandover)).toBe(false);
      expect(refusalOf(() => requireLedgerVisible(stranger, inHandover))).toEqual(refusal('contract.not_found', 'not_found'));
    }
  });
});
