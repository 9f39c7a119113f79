import type { ContractCommand } from '../../src/contracts/domain/commands';
import type { ContractEvent } from '../../src/contracts/domain/events';
import type { ExistingContract } from '../../src/contracts/domain/state';
import { deadlinesOf } from '../../src/contracts/read-side/deadlines';
import { contractView, handoverView } from '../../src/contracts/read-side/views';
import {
  aCompletedHandover,
  aContractInHandover,
  aContractTerminatedOn,
  agreed,
  agreement,
  anActiveContract,
  aDraftedContract,
  breachRecorded,
  CONTRACT_ID,
  decided,
  draftCommand,
  draftTerms,
  given,
  refusal,
} from '../support/contract-fixtures';

/**
 * Dates that hold together (terms, terminations, sign-offs), stipulated
 * conditions, the expiry of the term, and the deadlines derived from it all.
 */

const ACTIVE = anActiveContract();
const expire = (today: string): ContractCommand => ({ type: 'RecordExpiry', today });
const terminate = (
  grounds: Extract<ContractCommand, { type: 'TerminateContract' }>['grounds'],
  effectiveOn = '2028-04-01',
): ContractCommand => ({
  type: 'TerminateContract',
  initiatedBy: 'brand',
  grounds,
  effectiveOn,
});
const existing = (history: ContractEvent[]) => given(history).state as ExistingContract;
/** The handover of a contract in handover completed and signed off by both: the contract closed. */
function closedAfter(inHandover: ContractEvent[]): ContractEvent[] {
  const done = [...inHandover, ...aCompletedHandover(inHandover)];
  const signOffs: ContractCommand[] = (['operator', 'brand'] as const).map((party) => ({
    type: 'SignOffHandover',
    party,
    signatory: party,
    signedOffOn: '2028-05-01',
  }));
  return [...done, ...decided(done, signOffs)];
}

describe('expiry', () => {
  it('records the expiry on the term’s end date and starts the handover as any termination does', () => {
    const events = given(ACTIVE).when(expire('2029-12-31')) as ContractEvent[];
    expect(events[0]).toEqual({ type: 'ContractExpired', data: { expiredOn: '2029-12-31' } });
    expect(events[1].type).toBe('HandoverStarted');
    // The same checklist a termination effective that day derives.
    expect(events[1]).toEqual((given(ACTIVE).when(terminate({ type: 'expiry' }, '2029-12-31')) as ContractEvent[])[1]);
    expect(given(ACTIVE, events).state).toMatchObject({
      status: 'terminated',
      termination: { grounds: { type: 'expiry' }, effectiveOn: '2029-12-31' },
    });
    expect(given(ACTIVE, events).state).not.toHaveProperty('termination.initiatedBy');
  });

  it('records it as of the end date when the scheduler comes later (after a restart, say)', () => {
    expect(given(ACTIVE).when(expire('2030-02-01'))).toEqual(
      expect.arrayContaining([{ type: 'ContractExpired', data: { expiredOn: '2029-12-31' } }]),
    );
  });

  it('refuses before the end date, naming it (contract.not_expired)', () => {
    expect(given(ACTIVE).when(expire('2029-12-30'))).toEqual(
      refusal('contract.not_expired', 'conflict', { today: '2029-12-30', termEndsOn: '2029-12-31' }),
    );
  });

  it('follows a renewal: an agreement extending the term moves the expiry', () => {
    const renewed = [...ACTIVE, ...agreed(ACTIVE, [{ type: 'extend_term', endsOn: '2031-12-31' }], { effectiveOn: '2029-12-31' })];
    expect(given(renewed).when(expire('2029-12-31'))).toEqual(refusal('contract.not_expired', 'conflict'));
    expect(given(renewed).when(expire('2031-12-31'))).toEqual(
      expect.arrayContaining([{ type: 'ContractExpired', data: { expiredOn: '2031-12-31' } }]),
    );
  });

  it('does nothing on a contract something else already ended: exactly one expiry, whoever comes second', () => {
    const expired = [...ACTIVE, ...decided(ACTIVE, [expire('2029-12-31')])];
    expect(given(expired).when(expire('2030-01-02'))).toEqual([]);
    expect(given(aContractInHandover()).when(expire('2030-01-02'))).toEqual([]);
    const closed = closedAfter(aContractInHandover());
    expect(given(closed).state.status).toBe('closed');
    expect(given(closed).when(expire('2030-01-02'))).toEqual([]);
  });

  it('refuses a draft: it never took effect, so it never expires', () => {
    expect(given(aDraftedContract()).when(expire('2030-01-02'))).toEqual(refusal('contract.not_active', 'conflict'));
  });
});

describe('renewal', () => {
  it('is possible up to the end date: an extension effective on it is taken, one after it is refused naming the term', () => {
    expect(given(ACTIVE).when(...agreement([{ type: 'extend_term', endsOn: '2031-12-31' }], { effectiveOn: '2029-12-31' }))).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'ContractAmended' })]),
    );
    const late = given(ACTIVE).when(...agreement([{ type: 'extend_term', endsOn: '2031-12-31' }], { effectiveOn: '2030-01-01' }));
    expect(late).toEqual(refusal('amendment.outside_term', 'invalid'));
    expect((late as Error).message).toContain('2027-01-01 to 2029-12-31');
  });
});

describe('stipulated termination conditions', () => {
  it('terminates on a condition the terms list, cited by its id', () => {
    expect(given(ACTIVE).when(terminate({ type: 'stipulated_condition', conditionId: '12.3' }))).toHaveLength(2);
  });

  it('refuses a condition the terms do not list, naming those they do', () => {
    const refused = given(ACTIVE).when(terminate({ type: 'stipulated_condition', conditionId: '9.9' }));
    expect(refused).toEqual(refusal('termination.condition_not_stipulated', 'invalid'));
    expect((refused as Error).message).toContain('the terms stipulate 12.3');
  });

  it('refuses a citation by free text, as terminations were recorded before the terms listed conditions', () => {
    expect(given(ACTIVE).when(terminate({ type: 'stipulated_condition', clause: '12.3' }))).toEqual(
      refusal('termination.condition_not_cited', 'invalid'),
    );
  });

  it('follows the conditions of the terms in force on the termination date: added or removed by agreement', () => {
    const condition = { conditionId: '14.1', description: 'The brand sells the trademark' };
    const added = [...ACTIVE, ...agreed(ACTIVE, [{ type: 'add_termination_condition', condition }], { effectiveOn: '2028-03-01' })];
    expect(given(added).when(terminate({ type: 'stipulated_condition', conditionId: '14.1' }, '2028-03-01'))).toHaveLength(2);
    expect(given(added).when(terminate({ type: 'stipulated_condition', conditionId: '14.1' }, '2028-02-29'))).toEqual(
      refusal('termination.condition_not_stipulated', 'invalid'),
    );
    const removed = [...ACTIVE, ...agreed(ACTIVE, [{ type: 'remove_termination_condition', conditionId: '12.3' }])];
    expect(given(removed).when(terminate({ type: 'stipulated_condition', conditionId: '12.3' }))).toEqual(
      refusal('termination.condition_not_stipulated', 'invalid'),
    );
  });

  it('refuses an agreement adding a condition already listed, or removing one not listed', () => {
    const again = { conditionId: '12.3', description: 'Again' };
    expect(given(ACTIVE).when(...agreement([{ type: 'add_termination_condition', condition: again }]))).toEqual(
      refusal('amendment.condition_already_stipulated', 'invalid'),
    );
    expect(given(ACTIVE).when(...agreement([{ type: 'remove_termination_condition', conditionId: '9.9' }]))).toEqual(
      refusal('amendment.condition_not_stipulated', 'invalid'),
    );
  });

  it('refuses a draft listing one condition id twice', () => {
    const twice = draftTerms({
      terminationConditions: [
        { conditionId: '12.3', description: 'One' },
        { conditionId: '12.3', description: 'Two' },
      ],
    });
    expect(given([]).when(draftCommand(twice))).toEqual(refusal('contract.duplicate_condition', 'invalid'));
  });
});

describe('termination dates', () => {
  it('refuses any grounds but expiry after the term has ended, naming the term', () => {
    const mutual = { type: 'mutual_agreement', documentRef: 'TA-1', brandSignatory: 'Zhang Wei', operatorSignatory: 'Li Na' } as const;
    expect(given(ACTIVE).when(terminate(mutual, '2030-01-01'))).toEqual(
      refusal('termination.after_term', 'invalid', { effectiveOn: '2030-01-01', termStartsOn: '2027-01-01', termEndsOn: '2029-12-31' }),
    );
    expect(given(ACTIVE).when(terminate(mutual, '2029-12-31'))).toHaveLength(2);
  });

  it('refuses an expiry before the term ends, naming both dates', () => {
    expect(given(ACTIVE).when(terminate({ type: 'expiry' }, '2029-12-30'))).toEqual(
      refusal('termination.before_expiry', 'invalid', { effectiveOn: '2029-12-30', termEndsOn: '2029-12-31' }),
    );
  });
});

describe('sign-off dates', () => {
  const IN_HANDOVER = aContractInHandover();
  const done = [...IN_HANDOVER, ...aCompletedHandover(IN_HANDOVER)];
  const signOff = (signedOffOn: string): ContractCommand => ({
    type: 'SignOffHandover',
    party: 'brand',
    signatory: 'Zhang Wei',
    signedOffOn,
  });

  it('refuses a sign-off dated before an item it closes was done, naming the item and both dates', () => {
    // The latest evidence of the fixtures: the final settlement, settled 2028-04-30.
    expect(given(done).when(signOff('2028-04-29'))).toEqual(
      refusal('handover.sign_off_before_item', 'invalid', {
        itemId: 'final-settlement',
        completedOn: '2028-04-30',
        signedOffOn: '2028-04-29',
      }),
    );
    expect(given(done).when(signOff('2028-04-30'))).toHaveLength(1);
  });
});

describe('deadlines', () => {
  it('lists, while the contract runs, the notice deadline (the notice period before the end) and the end of term', () => {
    expect(deadlinesOf(existing(ACTIVE))).toEqual([
      expect.objectContaining({ contractId: CONTRACT_ID, kind: 'notice_due', dueOn: '2029-10-02' }),
      expect.objectContaining({ contractId: CONTRACT_ID, kind: 'term_end', dueOn: '2029-12-31' }),
    ]);
    expect(deadlinesOf(existing(ACTIVE))[0].summary).toContain('Feiyue Sports / Yunshang E-commerce');
  });

  it('adds the cure deadline of each notice not cured', () => {
    const noticed = [...ACTIVE, breachRecorded('breach-1')];
    expect(deadlinesOf(existing(noticed))).toContainEqual(
      expect.objectContaining({ kind: 'cure_deadline', dueOn: '2028-03-31', breachId: 'breach-1' }),
    );
    const cured = [
      ...noticed,
      { type: 'BreachCured', data: { breachId: 'breach-1', curedOn: '2028-03-10', acceptedOn: '2028-03-11' } } as const,
    ];
    expect(deadlinesOf(existing(cured)).map((deadline) => deadline.kind)).toEqual(['notice_due', 'term_end']);
  });

  it('lists, once ended, only the handover’s due date: the handover period after the termination date; none once closed', () => {
    const ended = aContractTerminatedOn('2028-04-01');
    expect(deadlinesOf(existing(ended))).toEqual([expect.objectContaining({ kind: 'handover_due', dueOn: '2028-05-01' })]);
    expect(contractView(existing(ended)).keyDates).toMatchObject({ terminatedOn: '2028-04-01', handoverDueOn: '2028-05-01' });
    expect(handoverView(existing(ended), { ledger: true })).toMatchObject({ dueOn: '2028-05-01' });
    expect(deadlinesOf(existing(closedAfter(ended)))).toEqual([]);
  });

  it('takes the handover period in force when the handover started, and adds the partial handovers not signed off', () => {
    const longer = [
      ...ACTIVE,
      ...agreed(ACTIVE, [
        { type: 'change_handover_period', handoverPeriodDays: 60 },
        { type: 'remove_scope', scope: 'logistics' },
      ]),
    ];
    expect(deadlinesOf(existing(longer))).toContainEqual(
      expect.objectContaining({ kind: 'handover_due', dueOn: '2028-03-01', handoverId: 'am-SA-1' }),
    );
    expect(handoverView(existing(longer), { ledger: true })?.partialHandovers[0]).toMatchObject({ dueOn: '2028-03-01' });
  });

  it('follows the notice period of the terms', () => {
    const shortNotice = anActiveContract(draftTerms({ noticePeriodDays: 30 }));
    expect(deadlinesOf(existing(shortNotice))[0]).toMatchObject({ kind: 'notice_due', dueOn: '2029-12-01' });
  });
});
