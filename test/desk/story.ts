import { agree, BRAND, draftAndActivate, LOGISTICS_BACK, OPERATOR, settleLedger } from '../support/contract-api';
import type { SettlementFigures } from '../support/contract-fixtures';
import type { HttpAnswer, TestApi } from '../support/http-client';

/** The story's accounts the operator runs: the shop, a customer-service seat, Alipay and the couriers. */
const ACCOUNTS = [
  { platform: 'tmall', accountName: 'feiyue旗舰店', kind: 'shop_master_account' },
  { platform: 'tmall', accountName: 'feiyue旗舰店:cs01', kind: 'sub_account' },
  { platform: 'alipay', accountName: 'feiyue-finance@alipay', kind: 'alipay_account' },
  { platform: 'cainiao', accountName: 'feiyue-cainiao', kind: 'logistics_account' },
];

/** A setup step that must succeed: its answer's body. */
async function succeeded(step: Promise<HttpAnswer>, what: string) {
  const answer = await step;
  if (answer.status >= 300) throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/**
 * The README's seed story through the API up to the handover, as its
 * walkthrough tells it: drafted, signed, the accounts registered and the
 * authorizations granted; the brand stops shipping daily, the operator
 * reports the incident (the brand acknowledges it) and serves notice on 2
 * March 2028; with no cure by the deadline, the operator terminates for the
 * breach on 1 April 2028; every month stated. Answers the contract's id and
 * the figures its final settlement must carry.
 */
export async function aContractInHandover(api: TestApi): Promise<{ id: string; settlement: SettlementFigures }> {
  const id = await draftAndActivate(api);
  for (const account of ACCOUNTS) await api.as(OPERATOR).post(`/contracts/${id}/accounts`, account);
  for (const [type, documentRef] of [
    ['online_distribution', 'AUTH-DIST-2027'],
    ['rights_enforcement', 'AUTH-IPR-2027'],
  ]) {
    await api.as(BRAND).post(`/contracts/${id}/authorizations`, { type, platform: 'tmall', documentRef });
  }
  const { incidentId } = await succeeded(
    api.as(OPERATOR).post(`/contracts/${id}/incidents`, {
      duty: 'daily_shipping',
      reportedBy: 'operator',
      occurredOn: '2028-03-01',
      description: 'Orders of 26 February to 1 March not shipped',
      evidenceRef: 'EV-ORDERS-0301',
    }),
    'the incident',
  );
  await succeeded(
    api.as(BRAND).post(`/contracts/${id}/incidents/${incidentId}/acknowledgement`, { acknowledgedOn: '2028-03-02' }),
    'its acknowledgement',
  );
  const { breachId } = await succeeded(
    api.as(OPERATOR).post(`/contracts/${id}/breaches`, {
      breachingParty: 'brand',
      clause: 'Brand duty 2: ship every day',
      incidentIds: [incidentId],
      description: 'Orders not shipped daily since 26 February',
      evidenceRef: 'NOTICE-2028-03-02',
      noticedOn: '2028-03-02',
    }),
    'the notice',
  );
  await succeeded(
    api
      .as(OPERATOR)
      .post(`/contracts/${id}/termination`, { initiatedBy: 'operator', grounds: 'breach', breachId, effectiveOn: '2028-04-01' }),
    'the termination',
  );
  return { id, settlement: await settleLedger(api, id) };
}

/**
 * The story's contract while it runs, the brand having taken logistics back
 * from 1 January 2028 (agreements-handover.e2e.spec.ts): its partial
 * handover asks the courier account back and the couriers re-pointed.
 * Answers the contract's id and the partial handover's.
 */
export async function aPartialHandover(api: TestApi): Promise<{ id: string; handoverId: string }> {
  const id = await draftAndActivate(api);
  await succeeded(api.as(OPERATOR).post(`/contracts/${id}/accounts`, ACCOUNTS[3]), 'the courier account');
  const { amendmentId } = await agree(api, id, LOGISTICS_BACK);
  return { id, handoverId: amendmentId };
}
