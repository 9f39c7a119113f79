import { useEffect, useState } from 'preact/hooks';
import type { TerminationGroundsType } from '../contracts/domain/events';
import type { ContractView, HandoverView } from '../contracts/read-side/views';
import type { Principal } from '../shared/identity';
import { call } from './api';
import { ChecklistView, finalChecklist } from './checklist';
import { follow, type LiveState } from './live';
import { Badge, Day, Facts, Heading, Loading, Problem, Table, useLoad, words, yuan } from './ui';

/** Handover views, final and partial, each with the path of its steps. */
export function Handovers({
  contractId,
  view,
  me,
  readOnly,
}: {
  contractId: string;
  view: HandoverView;
  me: Principal;
  readOnly?: boolean;
}) {
  const final = finalChecklist(view);
  return (
    <>
      {final && (
        <ChecklistView
          title={view.status === 'closed' ? 'Handover checklist (closed)' : 'Handover checklist'}
          checklist={final}
          dueOn={view.dueOn}
          me={me}
          path={`/contracts/${contractId}/handover`}
          readOnly={readOnly}
        />
      )}
      {view.partialHandovers.map((partial) => (
        <ChecklistView
          key={partial.handoverId}
          title={`Partial handover of ${partial.scopes.join(', ')} from ${partial.effectiveOn}`}
          checklist={partial}
          dueOn={partial.dueOn}
          me={me}
          path={`/contracts/${contractId}/partial-handovers/${partial.handoverId}`}
          readOnly={readOnly}
        />
      ))}
    </>
  );
}

/** What the contract says and what was recorded against it, in sections a keyboard opens and closes. */
export function ContractDetails({ contract, open }: { contract: ContractView; open: boolean }) {
  const { terms, keyDates } = contract;
  return (
    <>
      <details open={open}>
        <summary>Terms in force</summary>
        <Facts
          facts={[
            ['Term', `${terms.term.startsOn} to ${terms.term.endsOn}`],
            ['Scopes', terms.scopes.map(words).join(', ')],
            ['Shops', terms.shops.map((shop) => `${shop.name} (${shop.platform})`).join(', ')],
            ['Service fee a month', yuan(terms.fees.serviceFeeMonthlyFen)],
            ['Commission', `${terms.fees.commissionRateBp / 100}% of sales ${words(terms.fees.commissionBase).toLowerCase()}`],
            ['Shipping', `borne by the ${terms.shipping.costBorneBy}${terms.shipping.freeShipping ? ', free to buyers' : ''}`],
            ['Promotion budget a month', yuan(terms.promotion.monthlyBudgetFen)],
            ['Online distribution authorized', terms.clauses.onlineDistributionAuthorized ? 'yes' : 'no'],
            ['Rights enforcement authorized', terms.clauses.rightsEnforcementAuthorized ? 'yes' : 'no'],
            ['Notice period', `${terms.noticePeriodDays} days`],
            [
              'Key dates',
              Object.entries(keyDates)
                .map(([name, date]) => `${words(name)}: ${date}`)
                .join(' · '),
            ],
          ]}
        />
      </details>
      <details open={open}>
        <summary>Amendments and proposals ({contract.proposals.length})</summary>
        <Table
          caption="Supplementary agreements"
          rows={contract.proposals}
          empty="No supplementary agreement was proposed."
          columns={[
            ['Document', (proposal) => proposal.amendment.documentRef],
            ['Effective', (proposal) => proposal.amendment.effectiveOn],
            ['Changes', (proposal) => proposal.amendment.changes.map((change) => words(change.type)).join(', ')],
            ['Proposed by', (proposal) => proposal.proposedBy],
            ['Status', (proposal) => <Badge status={proposal.status} />],
          ]}
        />
      </details>
      <details open={open}>
        <summary>Accounts ({contract.accounts.length})</summary>
        <Table
          caption="Accounts the operator holds"
          rows={contract.accounts}
          empty="No account was registered."
          columns={[
            ['Platform', (account) => account.platform],
            ['Account', (account) => account.accountName],
            ['Kind', (account) => words(account.accountKind)],
            ['Status', (account) => <Badge status={account.status} />],
          ]}
        />
      </details>
      <details open={open}>
        <summary>Authorizations ({contract.authorizations.length})</summary>
        <Table
          caption="Authorizations the brand issued"
          rows={contract.authorizations}
          empty="No authorization was granted."
          columns={[
            ['Type', (authorization) => words(authorization.authorizationType)],
            ['Platform', (authorization) => authorization.platform],
            ['Document', (authorization) => authorization.documentRef],
            ['Status', (authorization) => <Badge status={authorization.status} />],
          ]}
        />
      </details>
      <details open={open}>
        <summary>Breaches and incidents ({contract.breaches.length + contract.incidents.length})</summary>
        <Table
          caption="Breach notices"
          rows={contract.breaches}
          empty="No breach was noticed."
          columns={[
            ['Breaching party', (breach) => breach.breachingParty],
            ['Clause', (breach) => breach.clause ?? ''],
            ['What', (breach) => breach.description],
            ['Noticed', (breach) => <Day date={breach.noticedOn} />],
            ['Cure by', (breach) => <Day date={breach.cureDeadline} />],
            ['Status', (breach) => <Badge status={breach.status} />],
          ]}
        />
        <IncidentCounts counts={contract.incidentCounts} />
        <Table
          caption="Duty incidents"
          rows={contract.incidents}
          empty="No duty incident was reported."
          columns={[
            ['Duty', (incident) => words(incident.duty)],
            ['Owed by', (incident) => incident.owedBy],
            ['Occurred', (incident) => <Day date={incident.occurredOn} />],
            ['What', (incident) => incident.description],
            ['Status', (incident) => <Badge status={incident.status} />],
          ]}
        />
      </details>
    </>
  );
}

/** How many incidents each duty had, per month and in all: the duties that had none are left out. */
function IncidentCounts({ counts }: { counts: ContractView['incidentCounts'] }) {
  if (counts.total === 0) return null;
  const duties = Object.entries(counts.byDuty)
    .filter(([, count]) => count > 0)
    .map(([duty]) => duty as keyof typeof counts.byDuty);
  const rows = [
    ...Object.entries(counts.byMonth).map(([month, byDuty]) => ({ month, byDuty })),
    { month: 'All months', byDuty: counts.byDuty },
  ];
  return (
    <Table
      caption="Incidents per duty and month"
      rows={rows}
      empty=""
      columns={[
        ['Month', (row) => row.month],
        ...duties.map((duty): [string, (row: (typeof rows)[number]) => number] => [words(duty), (row) => row.byDuty[duty] ?? 0]),
      ]}
    />
  );
}

/** Why the contract ended, as the status line says it. */
const GROUNDS: Record<TerminationGroundsType, string> = {
  breach: 'for breach',
  mutual_agreement: 'by mutual agreement',
  expiry: 'at the end of its term',
  stipulated_condition: 'on a stipulated condition',
};

/** The live-stream state in words, announced politely when it changes. */
function LiveStatus({ state }: { state: LiveState }) {
  if (typeof state !== 'string') return <Problem refusal={state} />;
  const text = { connecting: 'Connecting to live updates…', live: 'Live: changes by others appear here.', reconnecting: 'Reconnecting…' };
  return (
    <p class={`live live-${state}`} role="status">
      {text[state]}
    </p>
  );
}

/**
 * A contract: its checklist first, following the live stream so that what
 * others complete appears without a reload, then what the contract says.
 */
export function ContractScreen({ contractId, me }: { contractId: string; me: Principal }) {
  const [handover, setHandover] = useState<HandoverView | null>();
  // Read again at each change of the checklist: completions hand accounts back and revoke authorizations.
  const contract = useLoad(() => call<ContractView>('GET', `/contracts/${contractId}`), [contractId, handover]);
  const [live, setLive] = useState<LiveState>('connecting');
  useEffect(
    () =>
      follow(
        `/contracts/${contractId}/handover/stream`,
        ({ event, data }) => event === 'checklist' && setHandover(JSON.parse(data) as HandoverView | null),
        setLive,
      ),
    [contractId],
  );
  const value = contract.value;
  return (
    <>
      <Heading>{value ? `${value.brand.name} and ${value.operator.name}` : 'Contract'}</Heading>
      <Problem refusal={contract.refusal} />
      {value && (
        <p class="meta">
          Status: <Badge status={value.status} />
          {value.termination && ` · terminated ${GROUNDS[value.termination.grounds.type]} on ${value.termination.effectiveOn}`}
          {value.status === 'closed' && ' · the handover is signed off by both parties'}
          {me.role !== 'coordinator' && (
            <>
              {' · '}
              <a href={`#/contracts/${contractId}/history`}>History and integrity</a>
            </>
          )}
        </p>
      )}
      <LiveStatus state={live} />
      {handover === undefined && <Loading what="the checklist" />}
      {handover && <Handovers contractId={contractId} view={handover} me={me} />}
      {handover === null && <p>No handover has started: the contract is not terminated and took no scope back.</p>}
      {value && (
        <section aria-label="The contract">
          <h2>The contract</h2>
          <ContractDetails contract={value} open={me.role !== 'coordinator'} />
        </section>
      )}
      {contract.loading && !value && <Loading what="the contract" />}
    </>
  );
}
