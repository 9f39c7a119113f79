import { BRAND, draftAndActivate, expectRefused, OPERATOR, settleLedger } from '../support/contract-api';
import { finalSettlement, type SettlementFigures } from '../support/contract-fixtures';
import { startTestApp, type TestApi } from '../support/http-client';

const COORDINATOR = 'coordinator';

/**
 * A termination coordinator sees a contract once it is terminated and drives
 * its handover, but never its money (issue 12: "the operator reports and
 * issues, the brand confirms, disputes and pays, auditors read, nobody else
 * sees it"): not through the raw history, not through the final settlement's
 * refusal, not through the checklist's evidence.
 */
describe('what a termination coordinator sees of the money', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(async () => {
    await api.stop();
  });

  /** A contract terminated at the end of February 2027, both months stated: its ledger has sales and statements. */
  async function settledInHandover(): Promise<{ id: string; settlement: SettlementFigures }> {
    const id = await draftAndActivate(api);
    await api.as(OPERATOR).post(`/contracts/${id}/termination`, {
      initiatedBy: 'operator',
      grounds: 'stipulated_condition',
      conditionId: '12.3',
      effectiveOn: '2027-02-28',
    });
    return { id, settlement: await settleLedger(api, id) };
  }

  describe('the history', () => {
    it('refuses a coordinator the events, in JSON and NDJSON, with 403 and a code saying why', async () => {
      const { id } = await settledInHandover();
      for (const path of [`/contracts/${id}/events`, `/contracts/${id}/events?format=ndjson`]) {
        const answer = await api.as(COORDINATOR).get(path);
        expect({ path, status: answer.status, code: answer.body?.code }).toEqual({ path, status: 403, code: 'access.history_forbidden' });
        expect(answer.headers.get('content-type')).toContain('application/problem+json');
        expect(answer.body).not.toHaveProperty('events');
      }
      const asked = await api.call('GET', `/contracts/${id}/events`, undefined, {
        authorization: `Bearer ${await api.as(COORDINATOR).key()}`,
        accept: 'application/x-ndjson',
      });
      expect({ status: asked.status, code: asked.body?.code }).toEqual({ status: 403, code: 'access.history_forbidden' });
    });

    it('shows the events, the ledger’s among them, to the parties, auditors and admins', async () => {
      const { id } = await settledInHandover();
      for (const reader of [BRAND, OPERATOR, 'auditor', 'admin']) {
        const answer = await api.as(reader).get(`/contracts/${id}/events`);
        expect({ reader, status: answer.status }).toEqual({ reader, status: 200 });
        expect(answer.body.events.map((event: { type: string }) => event.type)).toEqual(
          expect.arrayContaining(['SalesReported', 'SalesReportConfirmed', 'StatementIssued']),
        );
      }
    });

    it('still gives a coordinator the integrity verdict, which shows no event', async () => {
      const { id } = await settledInHandover();
      const verdict = await api.as(COORDINATOR).get(`/contracts/${id}/integrity`);
      expect(verdict.status).toBe(200);
      expect(verdict.body).toEqual({ contractId: id, ok: true, events: expect.any(Number), head: expect.any(Object) });
    });
  });

  describe('the final settlement', () => {
    it('refuses a coordinator with 403 and writes nothing, with the ledger’s figures or without them (no differences listed)', async () => {
      const { id, settlement } = await settledInHandover();
      const complete = (figures: SettlementFigures) => () =>
        api.as(COORDINATOR).post(`/contracts/${id}/handover/items/final-settlement/completion`, { evidence: finalSettlement(figures) });
      await expectRefused(api, id, complete(settlement), 403, 'access.settlement_by_parties');
      const wrong = await expectRefused(
        api,
        id,
        complete({ serviceFeesFen: settlement.serviceFeesFen + 1, commissionFen: 0 }),
        403,
        'access.settlement_by_parties',
      );
      expect(wrong.body).not.toHaveProperty('differences');
    });

    it('lets the coordinator complete the other items, and the parties the final settlement', async () => {
      const { id, settlement } = await settledInHandover();
      const handedOver = await api.as(COORDINATOR).post(`/contracts/${id}/handover/items/inventory-return/completion`, {
        evidence: { kind: 'inventory_return', returnedOn: '2027-03-02', receivedBy: 'Feiyue warehouse', inventoryListRef: 'INV-1' },
      });
      expect(handedOver.status).toBe(201);
      const settled = await api
        .as(BRAND)
        .post(`/contracts/${id}/handover/items/final-settlement/completion`, { evidence: finalSettlement(settlement) });
      expect({ status: settled.status, recorded: settled.body.recorded }).toEqual({ status: 201, recorded: ['HandoverItemCompleted'] });
    });
  });

  describe('the checklist', () => {
    it('shows the completed final settlement without its figures to a coordinator, now, as of a revision and as of a time', async () => {
      const { id, settlement } = await settledInHandover();
      const completed = await api
        .as(OPERATOR)
        .post(`/contracts/${id}/handover/items/final-settlement/completion`, { evidence: finalSettlement(settlement) });
      expect(completed.status).toBe(201);
      const evidenceIn = (body: { items: Array<{ itemId: string; evidence?: object }> }) =>
        body.items.find((item) => item.itemId === 'final-settlement')?.evidence;
      const withoutFigures = Object.fromEntries(
        Object.entries(finalSettlement(settlement)).filter(([field]) => field !== 'serviceFeesFen' && field !== 'commissionFen'),
      );
      const reads = [
        `/contracts/${id}/handover`,
        `/contracts/${id}/handover?revision=${completed.body.revision}`,
        `/contracts/${id}/handover?asOf=2099-01-01T00:00:00Z`,
      ];

      for (const path of reads) {
        const answer = await api.as(COORDINATOR).get(path);
        expect({ path, status: answer.status }).toEqual({ path, status: 200 });
        expect({ path, evidence: evidenceIn(answer.body) }).toEqual({ path, evidence: withoutFigures });
      }
      for (const reader of [BRAND, OPERATOR, 'auditor', 'admin']) {
        for (const path of reads) {
          const answer = await api.as(reader).get(path);
          expect({ reader, path, evidence: evidenceIn(answer.body) }).toEqual({ reader, path, evidence: finalSettlement(settlement) });
        }
      }
    });
  });
});
