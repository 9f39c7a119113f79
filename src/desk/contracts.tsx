import type { ContractListing, HandoverView } from '../contracts/read-side/views';
import type { Principal } from '../shared/identity';
import { call } from './api';
import { Progress } from './checklist';
import { Badge, Heading, Loading, Problem, useLoad } from './ui';

type Listed = ContractListing & { readonly contractId: string };

/** Every page of the contract list for a filter. */
async function listAll(query: string): Promise<Listed[]> {
  const contracts: Listed[] = [];
  for (let after: string | null | undefined; after !== null;) {
    const page: { items: Listed[]; nextCursor: string | null } = await call(
      'GET',
      `/contracts?limit=100${query}${after ? `&after=${encodeURIComponent(after)}` : ''}`,
    );
    contracts.push(...page.items);
    after = page.nextCursor;
  }
  return contracts;
}

/**
 * The contracts the key may see. A coordinator's are those in handover, each
 * with its checklist's progress (read one by one: the list carries none).
 */
export function ContractsScreen({ me }: { me: Principal }) {
  const coordinator = me.role === 'coordinator';
  const list = useLoad(async () => {
    const contracts = await listAll(coordinator ? '&status=terminated' : '');
    const progress = coordinator
      ? await Promise.all(contracts.map((contract) => call<HandoverView>('GET', `/contracts/${contract.contractId}/handover`)))
      : [];
    return contracts.map((contract, index) => ({ contract, handover: progress[index] }));
  }, [me.keyId]);
  return (
    <>
      <Heading>{coordinator ? 'Contracts in handover' : 'Contracts'}</Heading>
      <Problem refusal={list.refusal} />
      {list.loading && <Loading what="the contracts" />}
      {list.value?.length === 0 && <p>{coordinator ? 'No contract is in handover.' : 'No contract is visible to this key.'}</p>}
      <ul class="contracts">
        {list.value?.map(({ contract, handover }) => (
          <li key={contract.contractId}>
            <h2>
              <a href={`#/contracts/${contract.contractId}`}>
                {contract.brand.name} and {contract.operator.name}
              </a>
            </h2>
            <p class="meta">
              <Badge status={contract.status} />
              {contract.keyDates.terminatedOn && ` · terminated on ${contract.keyDates.terminatedOn}`}
              {contract.keyDates.handoverDueOn && ` · handover due on ${contract.keyDates.handoverDueOn}`}
              {!contract.keyDates.terminatedOn && ` · term ends on ${contract.keyDates.termEndsOn}`}
            </p>
            {handover?.progress && (
              <Progress progress={handover.progress} label={`${contract.brand.name} and ${contract.operator.name}: items done`} />
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
