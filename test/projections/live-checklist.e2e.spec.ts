import { DRAFT, draftAndActivate, OPERATOR, revisionOf, settleLedger } from '../support/contract-api';
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

  it('sends the checklist now, then each item completion as it is projected, and ends when the client leaves', async () => {
    const id = await draftAndActivate(api);
    const terminated = await api.as(OPERATOR).post(`/contracts/${id}/termination`, {
      initiatedBy: 'operator',
      grounds: 'stipulated_condition',
      clause: '12.3',
      effectiveOn: '2028-01-01',
    });
    await api.get(`/contracts/${id}/handover?minPosition=${terminated.body.position}`);
    // Settled before the stream opens: each ledger event would send the (unchanged) checklist again.
    const settlement = await settleLedger(api, id);
    const settled = Number((await revisionOf(api, id))?.replace(/"/g, ''));

    const leave = new AbortController();
    const response = await fetch(`${api.url}/contracts/${id}/handover/stream`, {
      signal: leave.signal,
      headers: { authorization: `Bearer ${await api.as(OPERATOR).key()}` },
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const next = eventReader(response.body!);
    expect(await next()).toMatchObject({ event: 'checklist', id: String(settled), data: { progress: { completed: 0, total: 3 } } });

    await api.as(OPERATOR).post(`/contracts/${id}/handover/items/final-settlement/completion`, { evidence: finalSettlement(settlement) });
    const update = await next();
    expect(update).toMatchObject({ id: String(settled + 1), data: { progress: { completed: 1, total: 3 } } });
    expect(
      (update.data as { items: Array<{ itemId: string; status: string }> }).items.find((item) => item.itemId === 'final-settlement'),
    ).toMatchObject({
      status: 'completed',
      completedBy: expect.stringMatching(/^operator:op-yunshang:/),
    });
    leave.abort();
  });

  it('tells an open stream why it ends when its contract is quarantined', async () => {
    const id = await draftAndActivate(api);
    const terminated = await api.as(OPERATOR).post(`/contracts/${id}/termination`, {
      initiatedBy: 'operator',
      grounds: 'stipulated_condition',
      clause: '12.3',
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
