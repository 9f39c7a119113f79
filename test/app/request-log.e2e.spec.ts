import { setTimeout as sleep } from 'node:timers/promises';
import { ApiKeys } from '../../src/auth/api-keys';
import { draftAndActivate } from '../support/contract-api';
import { captureLogs, startTestApp, type TestApi } from '../support/http-client';

type LogLine = Record<string, unknown> & { readonly durationMs: number };

/**
 * The request log line, field by field: what operators grep and ship. It is
 * written when the response closes, so a test waits for it.
 */
describe('the request log', () => {
  const logs = captureLogs();
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApp({ LOG_LEVEL: 'info' }, { logDestination: logs });
  });
  afterAll(async () => {
    await api.stop();
  });

  /** The log lines naming the request id, once at least `count` are written. */
  async function linesOf(requestId: string, count = 1): Promise<LogLine[]> {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const lines = logs.lines.map((line) => JSON.parse(line) as LogLine).filter((line) => line.reqId === requestId);
      if (lines.length >= count) return lines;
      await sleep(10);
    }
    throw new Error(`no log line for request ${requestId}`);
  }

  const withoutClock = ({ time, pid, hostname, durationMs, ...line }: LogLine) => {
    expect({ time, pid, hostname, durationMs }).toEqual({
      time: expect.any(Number),
      pid: process.pid,
      hostname: expect.any(String),
      durationMs: expect.any(Number),
    });
    return line;
  };

  it('is one line per request: id, method, path without its query, status, duration', async () => {
    await api.call('GET', '/health/live?token=abc', undefined, { 'x-request-id': 'log-anonymous' });
    const [line] = await linesOf('log-anonymous');
    expect(Object.keys(line)).toEqual(['level', 'time', 'pid', 'hostname', 'reqId', 'req', 'res', 'durationMs', 'msg']);
    expect(withoutClock(line)).toEqual({
      level: 30,
      reqId: 'log-anonymous',
      req: { id: 'log-anonymous', method: 'GET', route: '/health/live' },
      res: { status: 200 },
      msg: `GET /health/live 200 ${line.durationMs} ms`,
    });
  });

  it('names the principal by role and key id, refused or not, and never the key', async () => {
    const admin = await api.keyOf('admin');
    const auditor = await api.keyOf('auditor');
    await api.call('GET', '/admin/keys', undefined, { authorization: `Bearer ${admin.key}`, 'x-request-id': 'log-admin' });
    await api.call('GET', '/admin/keys', undefined, { authorization: `Bearer ${auditor.key}`, 'x-request-id': 'log-auditor' });
    await api.call('GET', '/admin/keys', undefined, { authorization: 'Bearer chk_wrong', 'x-request-id': 'log-wrong-key' });
    const [granted] = await linesOf('log-admin');
    expect(Object.keys(granted)).toEqual(['level', 'time', 'pid', 'hostname', 'reqId', 'req', 'principal', 'res', 'durationMs', 'msg']);
    expect(granted).toMatchObject({ principal: `admin:${admin.keyId}`, res: { status: 200 } });
    expect(await linesOf('log-auditor')).toEqual([
      expect.objectContaining({ principal: `auditor:${auditor.keyId}`, res: { status: 403 } }),
    ]);
    const [refused] = await linesOf('log-wrong-key');
    expect(refused).not.toHaveProperty('principal');
    expect(refused.msg).toBe(`GET /admin/keys 401 ${refused.durationMs} ms`);
    expect(logs.lines.filter((line) => line.includes(admin.key) || line.includes('chk_wrong'))).toEqual([]);
  });

  it('redacts a path that looks like it holds a secret', async () => {
    await api.call('GET', '/contracts/password=hunter22', undefined, { 'x-request-id': 'log-redacted-path' });
    const [line] = await linesOf('log-redacted-path');
    expect(line).toMatchObject({
      req: { route: '[redacted: the path looks like it holds a secret]' },
      msg: `GET [redacted: the path looks like it holds a secret] 401 ${line.durationMs} ms`,
    });
    expect(logs.lines.filter((logged) => logged.includes('hunter22'))).toEqual([]);
  });

  it('writes a failure of ours as failed, after an error line with the same request id', async () => {
    const list = jest.spyOn(api.app.get(ApiKeys), 'list').mockRejectedValue(new Error('boom'));
    try {
      const answer = await api.call('GET', '/admin/keys', undefined, {
        authorization: `Bearer ${(await api.keyOf('admin')).key}`,
        'x-request-id': 'log-failure',
      });
      expect(answer.status).toBe(500);
    } finally {
      list.mockRestore();
    }
    const [error, request] = await linesOf('log-failure', 2);
    expect(error).toMatchObject({ level: 50, context: 'Problem', msg: expect.stringMatching(/^Error: boom\n/) });
    expect(withoutClock(request)).toEqual({
      level: 30,
      reqId: 'log-failure',
      req: { id: 'log-failure', method: 'GET', route: '/admin/keys' },
      principal: expect.stringMatching(/^admin:/),
      res: { status: 500 },
      err: { message: 'failed with status code 500' },
      msg: 'GET /admin/keys 500 failed',
    });
  });

  it('logs an event stream when the client leaves it', async () => {
    const id = await draftAndActivate(api);
    const leave = new AbortController();
    const stream = await fetch(`${api.url}/contracts/${id}/handover/stream`, {
      signal: leave.signal,
      headers: { authorization: `Bearer ${(await api.keyOf('admin')).key}`, 'x-request-id': 'log-stream' },
    });
    await stream.body!.getReader().read();
    leave.abort();
    expect(await linesOf('log-stream')).toEqual([
      expect.objectContaining({
        req: { id: 'log-stream', method: 'GET', route: `/contracts/${id}/handover/stream` },
        res: { status: 200 },
      }),
    ]);
  });
});
