import { BRAND, draftAndActivate, OPERATOR, settleLedger } from '../support/contract-api';
import type { SettlementFigures } from '../support/contract-fixtures';
import type { TestApi } from '../support/http-client';

/** The story's accounts the operator runs: the shop, a customer-service seat, Alipay and the couriers. */
const ACCOUNTS = [
  { platform: 'tmall', accountName: 'feiyue旗舰店', kind: 'shop_master_account' },
  { platform: 'tmall', accountName: 'feiyue旗舰店:cs01', kind: 'sub_account' },
  { platform: 'alipay', accountName: 'feiyue-finance@alipay', kind: 'alipay_account' },
  { platform: 'cainiao', accountName: 'feiyue-cainiao', kind: 'logistics_account' },
];

/**
 * The README's seed story through the API up to the handover: drafted,
 * signed, the accounts registered and the authorizations granted, terminated
 * on 1 April 2028 (by mutual agreement: the handover is the same whatever the
 * grounds, and a breach needs its cure period to run out first), every month
 * stated. Answers the contract's id and the figures its final settlement
 * must carry.
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
  const terminated = await api.as(OPERATOR).post(`/contracts/${id}/termination`, {
    initiatedBy: 'operator',
    grounds: 'mutual_agreement',
    documentRef: 'TERM-2028-04',
    brandSignatory: 'Zhang Wei',
    operatorSignatory: 'Li Na',
    effectiveOn: '2028-04-01',
  });
  if (terminated.status !== 201) throw new Error(`termination answered ${terminated.status}: ${JSON.stringify(terminated.body)}`);
  return { id, settlement: await settleLedger(api, id) };
}
