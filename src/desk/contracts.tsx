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
 * with its checklist's progress (read one by one: the list carries none), or
 * the closed ones (signed off: no progress to read).
 */
export function ContractsScreen({ me, closed }: { me: Principal; closed: boolean }) {
  const coordinator = me.role === 'coordinator';
  const inHandover = coordinator && !closed;
  const list = useLoad(async () => {
    const contracts = await listAll(coordinator ? `&status=${closed ? 'closed' : 'terminated'}` : '');
    const progress = inHandover
      ? await Promise.all(contracts.map((contract) => call<HandoverView>('GET', `/contracts/${contract.contractId}/handover`)))
      : [];
    return contracts.map((contract, index) => ({ contract, handover: progress[index] }));
  }, [me.keyId, closed]);
  const heading = !coordinator ? 'Contracts' : closed ? 'Closed contracts' : 'Contracts in handover';
  return (
    <>
      <Heading key={heading}>{heading}</Heading>
      {coordinator && (
        <nav aria-label="Which contracts">
          <a href="#/" aria-current={closed ? undefined : 'page'}>
            In handover
          </a>
          <a href="#/closed" aria-current={closed ? 'page' : undefined}>
            Closed
          </a>
        </nav>
      )}
      <Problem refusal={list.refusal} />
      {list.loading && <Loading what="the contracts" />}
      {list.value?.length === 0 && (
        <p>
          {!coordinator ? 'No contract is visible to this key.' : closed ? 'No contract is closed yet.' : 'No contract is in handover.'}
        </p>
      )}
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
              {contract.status === 'terminated' && ` · handover due on ${contract.keyDates.handoverDueOn}`}
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
