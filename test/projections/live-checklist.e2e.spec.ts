import { BRAND, DRAFT, draftAndActivate, OPERATOR, revisionOf, settleLedger } from '../support/contract-api';
import { finalSettlement } from '../support/contract-fixtures';
import { plantEvent } from '../support/plant-event';
import { startTestApp, type TestApi } from '../support/http-client';

/** Reads Server-Sent Events from a response body, one parsed `data` at a time. */
function eventReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return async function next(): Promise<{ event: string; id: string; data: unknown }> {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(':')) continue;
        const field = (name: string) =>
          block
            .split('\n')
            .find((line) => line.startsWith(`${name}: `))
            ?.slice(name.length + 2);
        return { event: field('event') ?? '', id: field('id') ?? '', data: JSON.parse(field('data') ?? 'null') };
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      buffer += decoder.decode(value, { stream: true });
    }
  };
}

describe('the live handover checklist (SSE)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(async () => {
    await api.stop();
  });

  /** A contract of the story terminated on `effectiveOn`, its checklist projected. */
  async function inHandover(effectiveOn: string): Promise<string> {
    const id = await draftAndActivate(api);
    const terminated = await api.as(OPERATOR).post(`/contracts/${id}/termination`, {
      initiatedBy: 'operator',
      grounds: 'stipulated_condition',
      conditionId: '12.3',
      effectiveOn,
    });
    await api.get(`/contracts/${id}/handover?minPosition=${terminated.body.position}`);
    return id;
  }

  /** The checklist stream of a contract as a principal, and how to leave it. */
  async function watch(principal: string, id: string) {
    const leave = new AbortController();
    const response = await fetch(`${api.url}/contracts/${id}/handover/stream`, {
      signal: leave.signal,
      headers: { authorization: `Bearer ${await api.as(principal).key()}` },
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    return { next: eventReader(response.body!), leave: () => leave.abort() };
  }

  const finalSettlementIn = (data: unknown) =>
    (data as { items: Array<{ itemId: string; status: string; evidence?: object }> }).items.find(
      (item) => item.itemId === 'final-settlement',
    );

  it('sends the checklist now, then each change to it as it is projected (not the events that leave it as it was), and ends when the client leaves', async () => {
    const id = await inHandover('2027-02-28');
    const started = Number((await revisionOf(api, id))?.replace(/"/g, ''));
    const { next, leave } = await watch(OPERATOR, id);
    expect(await next()).toMatchObject({ event: 'checklist', id: String(started), data: { progress: { completed: 0, total: 3 } } });

    // The ledger's months are reported, confirmed and stated while the stream is open: none of it changes the checklist.
    const settlement = await settleLedger(api, id);
    const settled = Number((await revisionOf(api, id))?.replace(/"/g, ''));
    expect(settled).toBeGreaterThan(started);
    await api.as(OPERATOR).post(`/contracts/${id}/handover/items/final-settlement/completion`, { evidence: finalSettlement(settlement) });
    const update = await next();
    expect(update).toMatchObject({ event: 'checklist', id: String(settled + 1), data: { progress: { completed: 1, total: 3 } } });
    expect(finalSettlementIn(update.data)).toMatchObject({
      status: 'completed',
      completedBy: expect.stringMatching(/^operator:op-yunshang:/),
      evidence: finalSettlement(settlement),
    });
    leave();
  });

  it('sends a coordinator no frame for the ledger’s events, and the final settlement without its figures', async () => {
    const id = await inHandover('2027-02-28');
    const { next, leave } = await watch('coordinator', id);
    expect(await next()).toMatchObject({ event: 'checklist', data: { progress: { completed: 0, total: 3 } } });

    const settlement = await settleLedger(api, id);
    const completed = await api
      .as(BRAND)
      .post(`/contracts/${id}/handover/items/final-settlement/completion`, { evidence: finalSettlement(settlement) });
    const update = await next();
    expect(update).toMatchObject({ event: 'checklist', id: String(completed.body.revision), data: { progress: { completed: 1 } } });
    const shown = finalSettlementIn(update.data)?.evidence;
    expect(shown).toMatchObject({ kind: 'final_settlement', settlementRef: expect.any(String) });
    expect(shown).not.toHaveProperty('serviceFeesFen');
    expect(shown).not.toHaveProperty('commissionFen');
    leave();
  });

  it('tells an open stream why it ends when its contract is quarantined', async () => {
    const id = await draftAndActivate(api);
    const terminated = await api.as(OPERATOR).post(`/contracts/${id}/termination`, {
      initiatedBy: 'operator',
      grounds: 'stipulated_condition',
      conditionId: '12.3',
      effectiveOn: '2028-01-01',
    });
    await api.get(`/contracts/${id}/handover?minPosition=${terminated.body.position}`);
    const response = await fetch(`${api.url}/contracts/${id}/handover/stream`, {
      headers: { authorization: `Bearer ${await api.as(OPERATOR).key()}` },
    });
    const next = eventReader(response.body!);
    expect(await next()).toMatchObject({ event: 'checklist', id: '5' });

    plantEvent(api.dataDir, id, 'HandoverItemCompleted', { itemId: 'final-settlement', evidence: [null] });
    await api.as(OPERATOR).post('/contracts', DRAFT);
    expect(await next()).toMatchObject({
      event: 'problem',
      data: { code: 'read_models.contract_quarantined', detail: expect.stringContaining('revision 6') },
    });
    await expect(next()).rejects.toThrow('the stream ended');
  });

  it('answers 404 for an unknown contract', async () => {
    const response = await api.get('/contracts/00000000-0000-4000-8000-000000000000/handover/stream');
    expect(response.body).toMatchObject({ status: 404, code: 'contract.not_found' });
  });

  it('ends open streams when the service stops', async () => {
    const own = await startTestApp();
    const id = await draftAndActivate(own);
    await own.get(`/contracts/${id}`);
    const response = await fetch(`${own.url}/contracts/${id}/handover/stream`, {
      headers: { authorization: `Bearer ${await own.as('admin').key()}` },
    });
    const next = eventReader(response.body!);
    expect(await next()).toMatchObject({ event: 'checklist', data: null });
    const started = Date.now();
    await own.stop();
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(next()).rejects.toThrow();
  });
});
