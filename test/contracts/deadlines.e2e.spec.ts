import ICAL from 'ical.js';
import { agree, BRAND, DRAFT, draftAndActivate, MUTUAL_TERMINATION, OPERATOR, type JsonCall } from '../support/contract-api';
import { startTestApp, type TestApi } from '../support/http-client';
import { plantEvent } from '../support/plant-event';
import { TestClock } from '../support/test-clock';
import { schemaChecker } from '../app/openapi-checks';

/** The service's clock: each test sets the time it reads. */
const clock = new TestClock('2028-03-01T00:30:00+08:00');
/** 00:30 on a business date in Shanghai (BUSINESS_TIME_ZONE's default), still the day before in UTC. */
const at = (date: string) => clock.set(`${date}T00:30:00+08:00`);

/** A deadline as the list answers it. */
interface Listed {
  contractId: string;
  kind: string;
  dueOn: string;
  summary: string;
  breachId?: string;
  handoverId?: string;
  quarantined?: true;
}

/** Each event of an iCalendar text as Mozilla's parser reads it: independent of the library that wrote it. */
function eventsOf(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return {
    calendar,
    events: calendar.getAllSubcomponents('vevent').map((vevent) => {
      const event = new ICAL.Event(vevent);
      return {
        uid: event.uid,
        dueOn: event.startDate.toString(),
        allDay: event.startDate.isDate,
        summary: event.summary,
        description: event.description,
        alarms: vevent.getAllSubcomponents('valarm').map((alarm) => String(alarm.getFirstPropertyValue('trigger'))),
      };
    }),
  };
}

/**
 * What a calendar event of a deadline holds: its date, its summary, and a UID
 * per contract, kind and breach or handover, pinned here: another UID for the
 * same deadline would duplicate it in every subscriber's calendar.
 */
const asEvent = ({ contractId, kind, dueOn, summary, breachId, handoverId }: Listed) => ({
  uid: `${[kind, breachId ?? handoverId, contractId].filter(Boolean).join('.')}@contract-handover`,
  dueOn,
  summary,
});

/**
 * The deadlines list and calendar feed over HTTP, on the story's contracts
 * (term 2027-01-01 to 2029-12-31, notice 90 days, cure and handover periods
 * 30 days), with the clock moved to the dates each test reads them on.
 */
describe('the deadlines list and calendar feed', () => {
  let api: TestApi;
  /** The story's contract: logistics taken back from 2028-02-20 (a partial handover), a breach of the brand's noticed on 2028-02-25. */
  let running: string;
  let partialHandover: string;
  let breach: string;
  /** Another contract of the same parties, terminated by agreement from 2028-02-15: its handover under way. */
  let ended: string;
  /** Another brand's contract, with a breach notice of its own. */
  let others: string;

  beforeAll(async () => {
    at('2028-03-01');
    api = await startTestApp({}, { clock });
    running = await draftAndActivate(api);
    partialHandover = (
      await agree(api, running, {
        documentRef: 'SA-2028-02 (own warehouse logistics)',
        effectiveOn: '2028-02-20',
        changes: [{ type: 'remove_scope', scope: 'logistics' }],
      })
    ).amendmentId;
    breach = (await noticeBreach(running, OPERATOR, '2028-02-25')).breachId;
    ended = await draftAndActivate(api);
    await api.as(OPERATOR).post(`/contracts/${ended}/termination`, { ...MUTUAL_TERMINATION, effectiveOn: '2028-02-15' });
    others = await contractOf('other');
    await noticeBreach(others, 'operator:op-other', '2028-02-26');
  });
  afterAll(async () => {
    await api.stop();
  });

  /** The operator gives notice of the brand's breach of its daily-shipping duty (clause 2). */
  async function noticeBreach(contractId: string, principal: string, noticedOn: string) {
    const answer = await api.as(principal).post(`/contracts/${contractId}/breaches`, {
      breachingParty: 'brand',
      clause: '2',
      incidentIds: [],
      description: 'Orders not shipped for five days',
      evidenceRef: 'EV-ORDERS',
      noticedOn,
    });
    expect(answer.status).toBe(201);
    return answer.body;
  }

  /** The story's contract between `brand-<name>` and `op-<name>`, signed: active, its deadlines seen by them alone. */
  async function contractOf(name: string): Promise<string> {
    const [brand, operator] = [`brand:brand-${name}`, `operator:op-${name}`];
    const parties = {
      brand: { partyId: `brand-${name}`, name: `Brand ${name}` },
      operator: { partyId: `op-${name}`, name: `Operator ${name}` },
    };
    const { contractId } = (await api.as(brand).post('/contracts', { ...DRAFT, ...parties })).body;
    await api.as(brand).post(`/contracts/${contractId}/signatures`, { party: 'brand', signatory: 'a', signedOn: '2026-12-01' });
    await api.as(operator).post(`/contracts/${contractId}/signatures`, { party: 'operator', signatory: 'b', signedOn: '2026-12-03' });
    return contractId as string;
  }

  /** The story's steps (contract-api.ts) taken by `brand-<name>` and `op-<name>` instead of the story's parties. */
  const storyStepsOf =
    (name: string): JsonCall =>
    (principal, method, path, body) => {
      const acting = principal === BRAND ? `brand:brand-${name}` : principal === OPERATOR ? `operator:op-${name}` : principal;
      return method === 'GET' ? api.as(acting).get(path) : api.as(acting).post(path, body);
    };
  const deadlines = async (principal: string, within = '30d'): Promise<{ today: string; within: string; deadlines: Listed[] }> => {
    const answer = await api.as(principal).get(`/deadlines?within=${within}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const calendar = async (principal: string) => {
    const answer = await api.as(principal).get('/deadlines.ics');
    expect([answer.status, answer.headers.get('content-type')]).toEqual([200, 'text/calendar; charset=utf-8']);
    return eventsOf(answer.body as string);
  };
  const summarized = (listed: readonly Listed[]) => listed.map(({ contractId, kind, dueOn }) => [contractId, kind, dueOn]);

  it("a brand sees the notice due, term end, cure deadlines and handover due dates of its own contracts, never another brand's", async () => {
    at('2028-03-01');
    const soon = await deadlines(BRAND);
    expect(soon).toMatchObject({ today: '2028-03-01', within: '30d' });
    expect(summarized(soon.deadlines)).toEqual([
      [ended, 'handover_due', '2028-03-16'],
      [running, 'handover_due', '2028-03-21'],
      [running, 'cure_deadline', '2028-03-26'],
    ]);
    expect(soon.deadlines[1].handoverId).toBe(partialHandover);
    expect(soon.deadlines[2].breachId).toBe(breach);
    expect(soon.deadlines[0]).toMatchObject({
      brand: DRAFT.brand,
      operator: DRAFT.operator,
      summary: expect.stringContaining(DRAFT.brand.name),
    });
    expect(soon.deadlines[0]).not.toHaveProperty('quarantined');
    // As the OpenAPI document describes it.
    const check = schemaChecker((await api.call('GET', '/docs-json')).body);
    expect(check(['paths', '/deadlines', 'get', 'responses', '200', 'content', 'application/json', 'schema'], soon)).toEqual([]);

    at('2029-09-20');
    expect(summarized((await deadlines(BRAND, '120d')).deadlines)).toEqual([
      [running, 'notice_due', '2029-10-02'],
      [running, 'term_end', '2029-12-31'],
    ]);
    // Its operator sees the same contracts; the other brand only its own.
    expect(await deadlines(OPERATOR, '120d')).toEqual(await deadlines(BRAND, '120d'));
    const theirs = (await deadlines('brand:brand-other', '120d')).deadlines;
    expect(summarized(theirs)).toEqual([
      [others, 'notice_due', '2029-10-02'],
      [others, 'term_end', '2029-12-31'],
    ]);
    expect(summarized((await deadlines('admin', '120d')).deadlines)).toEqual(
      expect.arrayContaining([...summarized((await deadlines(BRAND, '120d')).deadlines), ...summarized(theirs)]),
    );
  });

  it('a coordinator sees the handover due dates of contracts in handover only', async () => {
    at('2028-03-01');
    const seen = (await deadlines('coordinator', '366d')).deadlines;
    expect(summarized(seen)).toEqual([[ended, 'handover_due', '2028-03-16']]);
    expect(seen[0]).not.toHaveProperty('handoverId');
    expect((await calendar('coordinator')).events.map(({ uid }) => uid)).toEqual([`handover_due.${ended}@contract-handover`]);
  });

  it('counts from today in the business time zone through `within` days after it, both included, 30 days unless said', async () => {
    at('2028-03-01');
    // 00:30 in Shanghai: still 29 February in UTC.
    expect(clock.now().toISOString().slice(0, 10)).toBe('2028-02-29');
    const due = async (within: string) => (await deadlines(BRAND, within)).deadlines.map(({ dueOn }) => dueOn);
    expect(await due('15d')).toEqual(['2028-03-16']);
    expect(await due('14d')).toEqual([]);
    expect((await api.as(BRAND).get('/deadlines')).body).toEqual(await deadlines(BRAND, '30d'));
    // The day after a handover was due, it is no longer upcoming.
    at('2028-03-17');
    expect(await due('5d')).toEqual(['2028-03-21']);
  });

  it.each(['0d', '367d', '1000d', '30', '30days', '-1d', '1.5d', 'd', ''])('refuses within=%s with 400 request.invalid', async (within) => {
    const answer = await api.as(BRAND).get(`/deadlines?within=${within}`);
    expect([answer.status, answer.body.code, answer.body.errors]).toEqual([
      400,
      'request.invalid',
      [{ field: 'within', problems: ['within must be a number of days from 1d to 366d, e.g. 30d'] }],
    ]);
  });

  it('the calendar, read by an independent parser, holds each deadline of the list as an all-day event with its date, UID and summary', async () => {
    at('2028-03-01');
    const { calendar: feed, events } = await calendar(BRAND);
    expect(feed.getFirstPropertyValue('prodid')).toBe('-//contract-handover//deadlines//EN');
    expect(feed.getFirstPropertyValue('x-wr-calname')).toBe('Contract deadlines (brand brand-feiyue)');
    // The year to come is the list's longest view; the rest of the calendar is the running contract's notice and end.
    const listed = (await deadlines(BRAND, '366d')).deadlines;
    const { keyDates } = (await api.as(BRAND).get(`/contracts/${running}`)).body;
    expect(events.map(({ uid, dueOn, summary }) => ({ uid, dueOn, summary }))).toEqual(expect.arrayContaining(listed.map(asEvent)));
    expect(events.filter((event) => event.dueOn > '2029-03-01').map(({ uid, dueOn }) => [uid, dueOn])).toEqual([
      [`notice_due.${running}@contract-handover`, keyDates.terminationNoticeDueBy],
      [`term_end.${running}@contract-handover`, keyDates.termEndsOn],
    ]);
    expect(events).toHaveLength(listed.length + 2);
    for (const event of events) {
      expect(event.allDay).toBe(true);
      // A reminder at 09:00 the day before.
      expect(event.alarms).toEqual(['-PT15H']);
    }
    const cure = events.find(({ uid }) => uid.startsWith('cure_deadline.'));
    expect(cure?.description).toContain(`Contract ${running} between Feiyue Sports (brand brand-feiyue) and Yunshang E-commerce`);
    expect(cure?.description).toContain(`GET /contracts/${running}`);
    expect(events.some(({ uid }) => uid.includes(others))).toBe(false);
  });

  it('the calendar keeps the deadlines due in the last 365 days that still apply', async () => {
    // Past the partial handover's and the cure's due dates (neither done): the list no longer shows them, the calendar does.
    at('2029-03-20');
    expect((await deadlines(BRAND, '30d')).deadlines).toEqual([]);
    const kept = (await calendar(BRAND)).events.map(({ dueOn }) => dueOn);
    // 2029-03-20 less 365 days is 2028-03-20: the final handover due on 2028-03-16 has dropped out.
    expect(kept).toEqual(['2028-03-21', '2028-03-26', '2029-10-02', '2029-12-31']);
  });

  it('an event keeps its UID when its date moves: the term extended moves the notice and end events, it adds none', async () => {
    at('2029-09-20');
    const renewing = await contractOf('renewing');
    const events = async () => (await calendar('brand:brand-renewing')).events.map(({ uid, dueOn }) => [uid, dueOn]);
    const before = await events();
    expect(before).toEqual([
      [`notice_due.${renewing}@contract-handover`, '2029-10-02'],
      [`term_end.${renewing}@contract-handover`, '2029-12-31'],
    ]);
    await agree(storyStepsOf('renewing'), renewing, {
      documentRef: 'SA-2029-09 (renewal)',
      effectiveOn: '2029-09-20',
      changes: [{ type: 'extend_term', endsOn: '2030-12-31' }],
    });
    expect(await events()).toEqual([
      [before[0][0], '2030-10-02'],
      [before[1][0], '2030-12-31'],
    ]);
  });

  it("lists a quarantined contract's deadlines as its row holds them, flagged", async () => {
    at('2029-09-20');
    const poisoned = await contractOf('poisoned');
    plantEvent(api.dataDir, poisoned, 'ContractAmended', {
      amendmentId: 'a-1',
      documentRef: 'SA-1',
      effectiveOn: '2027-06-01',
      changes: [[]],
    });
    // The next write wakes the projections, which meet the planted event.
    await api.as(BRAND).post('/contracts', DRAFT);
    const flagged = (await deadlines('brand:brand-poisoned', '120d')).deadlines;
    expect(flagged.map(({ contractId, kind, quarantined }) => [contractId, kind, quarantined])).toEqual([
      [poisoned, 'notice_due', true],
      [poisoned, 'term_end', true],
    ]);
    expect((await calendar('brand:brand-poisoned')).events.map(({ description }) => description)).toEqual([
      expect.stringContaining('this date may be out of date'),
      expect.stringContaining('this date may be out of date'),
    ]);
  });
});
