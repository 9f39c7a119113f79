import { authorize } from '../../src/contracts/domain/access';
import { type Principal } from '../../src/shared/identity';
import type { ContractCommand } from '../../src/contracts/domain/commands';
import { fold } from '../../src/contracts/domain/state';
import { anActiveContract, refusal } from '../support/contract-fixtures';

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
