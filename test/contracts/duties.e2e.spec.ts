import {
  agree,
  BRAND,
  completeOpenItems,
  DRAFT,
  draftAndActivate,
  expectRefused as expectRefusedOver,
  LOGISTICS_BACK,
  MUTUAL_TERMINATION,
  OPERATOR,
  settleLedger,
  signOffByBoth,
} from '../support/contract-api';
import { startTestApp, type HttpAnswer, type TestApi } from '../support/http-client';

/**
 * Issue 14 over HTTP: the party owed a duty reports incidents of the
 * other's, which acknowledges or contests them; a notice of breach cites
 * them (or a clause) and gives the breaching party the cure period of the
 * terms; a termination for the breach waits for the cure deadline and a
 * cure the notifying party did not accept; stipulated conditions, the cure
 * and handover periods and renewal are terms. Every refusal answers its
 * status, code and the dates involved, and writes nothing.
 */

/** The story's brand misses daily shipping: the operator, owed it, reports it. */
const SHIPPING_MISSED = {
  duty: 'daily_shipping',
  reportedBy: 'operator',
  occurredOn: '2028-03-01',
  description: 'Orders of 26 February to 1 March not shipped',
  evidenceRef: 'EV-ORDERS-0301',
};
/** The operator's notice of the brand's breach on 2 March 2028: the 30-day cure period runs out on 1 April. */
const NOTICE = {
  breachingParty: 'brand',
  clause: 'Brand duty 2: ship every day',
  description: 'Orders not shipped daily since 26 February',
  evidenceRef: 'NOTICE-2028-03-02',
  noticedOn: '2028-03-02',
};
const BREACH_TERMINATION = { initiatedBy: 'operator', grounds: 'breach', effectiveOn: '2028-04-01' };

/** The members of a problem beyond RFC 9457's and the code: the facts it names. */
const factsOf = ({ body }: HttpAnswer) => {
  const { type: _type, title: _title, status: _status, code: _code, detail: _detail, ...facts } = body as Record<string, unknown>;
  return facts;
};

describe('duties, breach notice and cure over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApp({ RATE_LIMIT_PER_MINUTE: '1000000' });
  });
  afterAll(async () => {
    await api.stop();
  });

  const brand = () => api.as(BRAND);
  const operator = () => api.as(OPERATOR);
  const contract = async (id: string) => (await api.get(`/contracts/${id}`)).body;
  /** The step is refused with this status and code, and the contract's revision did not move. */
  const expectRefused = (id: string, step: () => Promise<HttpAnswer>, status: number, code: string) =>
    expectRefusedOver(api, id, step, status, code);
  const report = (principal: string, id: string, incident: object) => api.as(principal).post(`/contracts/${id}/incidents`, incident);
  const answerIncident = (principal: string, id: string, incidentId: string, answer: string, body: object) =>
    api.as(principal).post(`/contracts/${id}/incidents/${incidentId}/${answer}`, body);
  const notice = (principal: string, id: string, body: object) => api.as(principal).post(`/contracts/${id}/breaches`, body);
  const onBreach = (principal: string, id: string, breachId: string, step: string, body: object) =>
    api.as(principal).post(`/contracts/${id}/breaches/${breachId}/${step}`, body);
  const terminate = (principal: string, id: string, body: object) => api.as(principal).post(`/contracts/${id}/termination`, body);

  describe('the seed story: the brand stops shipping daily', () => {
    it('the operator reports incidents of the brand’s duties, which the brand acknowledges or contests; the contract counts them per duty and month', async () => {
      const id = await draftAndActivate(api);
      const reported = await report(OPERATOR, id, { ...SHIPPING_MISSED, occurredOn: '2028-02-28' });
      expect(reported.status).toBe(201);
      expect(reported.body).toMatchObject({ recorded: ['DutyIncidentReported'], incidentId: expect.any(String) });
      const first: string = reported.body.incidentId;
      const second: string = (await report(OPERATOR, id, SHIPPING_MISSED)).body.incidentId;
      const stockOut = { ...SHIPPING_MISSED, duty: 'product_supply', description: 'Size 42 out of stock for a week' };
      const third: string = (await report(OPERATOR, id, stockOut)).body.incidentId;
      // The operator owes customer service: the brand reports its incidents.
      const slowService = { ...SHIPPING_MISSED, duty: 'customer_service_response', reportedBy: 'brand', occurredOn: '2028-02-10' };
      const operators: string = (await report(BRAND, id, slowService)).body.incidentId;

      // Who reports: the party owed the duty, in its own name; and within the term.
      await expectRefused(id, () => report(BRAND, id, { ...SHIPPING_MISSED, reportedBy: 'brand' }), 422, 'incident.own_duty');
      await expectRefused(id, () => report(OPERATOR, id, { ...SHIPPING_MISSED, reportedBy: 'brand' }), 403, 'access.not_your_side');
      await expectRefused(id, () => report('auditor', id, SHIPPING_MISSED), 403, 'access.read_only');
      const early = await expectRefused(
        id,
        () => report(OPERATOR, id, { ...SHIPPING_MISSED, occurredOn: '2026-12-31' }),
        422,
        'incident.outside_term',
      );
      expect(factsOf(early)).toEqual({ date: '2026-12-31', termStartsOn: '2027-01-01', termEndsOn: '2029-12-31' });

      // The brand, which owes shipping, answers: not before the incident, once, and a retry of its answer records nothing.
      const before = await expectRefused(
        id,
        () => answerIncident(BRAND, id, first, 'acknowledgement', { acknowledgedOn: '2028-02-27' }),
        422,
        'incident.answered_before_it_occurred',
      );
      expect(factsOf(before)).toEqual({ date: '2028-02-27', earliest: '2028-02-28' });
      await expectRefused(
        id,
        () => answerIncident(OPERATOR, id, first, 'acknowledgement', { acknowledgedOn: '2028-03-01' }),
        403,
        'access.not_your_side',
      );
      expect((await answerIncident(BRAND, id, first, 'acknowledgement', { acknowledgedOn: '2028-03-01' })).body.recorded).toEqual([
        'DutyIncidentAcknowledged',
      ]);
      expect((await answerIncident(BRAND, id, first, 'acknowledgement', { acknowledgedOn: '2028-03-01' })).body.recorded).toEqual([]);
      const contest = { reason: 'The courier collected the parcels on time', contestedOn: '2028-03-02' };
      await expectRefused(id, () => answerIncident(BRAND, id, first, 'contest', contest), 409, 'incident.already_answered');
      expect((await answerIncident(BRAND, id, second, 'contest', contest)).body.recorded).toEqual(['DutyIncidentContested']);
      await expectRefused(
        id,
        () => answerIncident(BRAND, id, '00000000-0000-4000-8000-000000000000', 'contest', contest),
        404,
        'incident.not_found',
      );

      const { incidents, incidentCounts } = await contract(id);
      expect(incidents).toEqual([
        expect.objectContaining({ incidentId: first, owedBy: 'brand', status: 'acknowledged', acknowledgedOn: '2028-03-01' }),
        expect.objectContaining({ incidentId: second, owedBy: 'brand', status: 'contested', contested: contest }),
        expect.objectContaining({ incidentId: third, duty: 'product_supply', owedBy: 'brand', status: 'reported' }),
        expect.objectContaining({ incidentId: operators, owedBy: 'operator', reportedBy: 'brand', status: 'reported' }),
      ]);
      expect(incidentCounts).toEqual({
        total: 4,
        byDuty: {
          product_supply: 1,
          daily_shipping: 2,
          alipay_confirmation: 0,
          promotion_cooperation: 0,
          customer_service_response: 1,
          shop_operation: 0,
          promotion_execution: 0,
        },
        byMonth: {
          '2028-02': { customer_service_response: 1, daily_shipping: 1 },
          '2028-03': { daily_shipping: 1, product_supply: 1 },
        },
      });
    });

    it('a notice citing the incidents starts the cure period; a termination before its deadline is refused naming it; a cure claimed and rejected; the termination on the deadline starts the handover', async () => {
      const id = await draftAndActivate(api);
      const shipping: string = (await report(OPERATOR, id, SHIPPING_MISSED)).body.incidentId;
      const operators: string = (
        await report(BRAND, id, { ...SHIPPING_MISSED, duty: 'customer_service_response', reportedBy: 'brand', occurredOn: '2028-02-10' })
      ).body.incidentId;

      // What a notice may cite: incidents of the breaching party's duties, before it; or a clause.
      const cited =
        (incidentIds: string[], changes: object = {}) =>
        () =>
          notice(OPERATOR, id, { ...NOTICE, incidentIds, ...changes });
      await expectRefused(id, cited([operators]), 422, 'breach.incident_of_other_party');
      await expectRefused(id, cited([shipping, shipping]), 422, 'breach.incident_cited_twice');
      await expectRefused(id, cited(['00000000-0000-4000-8000-000000000000']), 404, 'breach.incident_not_found');
      await expectRefused(id, () => notice(OPERATOR, id, { ...NOTICE, clause: undefined }), 422, 'breach.nothing_cited');
      const after = await expectRefused(id, cited([shipping], { noticedOn: '2028-02-29' }), 422, 'breach.incident_after_notice');
      expect(factsOf(after)).toEqual({ occurredOn: '2028-03-01', noticedOn: '2028-02-29' });
      const late = await expectRefused(id, cited([], { noticedOn: '2030-01-02' }), 422, 'breach.outside_term');
      expect(factsOf(late)).toEqual({ date: '2030-01-02', termStartsOn: '2027-01-01', termEndsOn: '2029-12-31' });
      await expectRefused(id, () => notice(BRAND, id, { ...NOTICE, incidentIds: [shipping] }), 403, 'access.not_your_side');

      const served = await notice(OPERATOR, id, { ...NOTICE, incidentIds: [shipping] });
      expect(served.status).toBe(201);
      expect(served.body).toMatchObject({ recorded: ['BreachRecorded'], breachId: expect.any(String) });
      const breachId: string = served.body.breachId;
      expect((await contract(id)).breaches).toEqual([
        {
          breachId,
          ...NOTICE,
          incidentIds: [shipping],
          cureDeadline: '2028-04-01',
          status: 'open',
        },
      ]);

      // The brand answers the notice: not before it, once.
      const early = await expectRefused(
        id,
        () => onBreach(BRAND, id, breachId, 'contest', { reason: 'A courier strike', contestedOn: '2028-03-01' }),
        422,
        'breach.answered_before_notice',
      );
      expect(factsOf(early)).toEqual({ date: '2028-03-01', earliest: '2028-03-02' });
      await expectRefused(
        id,
        () => onBreach(OPERATOR, id, breachId, 'acknowledgement', { acknowledgedOn: '2028-03-04' }),
        403,
        'access.not_your_side',
      );
      expect(
        (await onBreach(BRAND, id, breachId, 'contest', { reason: 'A courier strike', contestedOn: '2028-03-04' })).body.recorded,
      ).toEqual(['BreachContested']);
      await expectRefused(
        id,
        () => onBreach(BRAND, id, breachId, 'acknowledgement', { acknowledgedOn: '2028-03-05' }),
        409,
        'breach.already_answered',
      );

      // Terminating before the cure deadline is refused, naming the dates; terminating for one's own breach too.
      const running = await expectRefused(
        id,
        () => terminate(OPERATOR, id, { ...BREACH_TERMINATION, breachId, effectiveOn: '2028-03-31' }),
        422,
        'termination.cure_period_running',
      );
      expect(factsOf(running)).toEqual({ noticedOn: '2028-03-02', cureDeadline: '2028-04-01', effectiveOn: '2028-03-31' });
      expect(running.body.detail).toContain('2028-04-01');
      await expectRefused(
        id,
        () => terminate(BRAND, id, { ...BREACH_TERMINATION, initiatedBy: 'brand', breachId }),
        422,
        'termination.own_breach',
      );

      // The brand claims a cure; the operator, which served the notice, rejects it.
      const cure = { curedOn: '2028-03-20', evidenceRef: 'EV-SHIPPED-0320' };
      const tooEarly = await expectRefused(
        id,
        () => onBreach(BRAND, id, breachId, 'cure', { ...cure, curedOn: '2028-03-01' }),
        422,
        'breach.cured_before_notice',
      );
      expect(factsOf(tooEarly)).toEqual({ date: '2028-03-01', earliest: '2028-03-02' });
      await expectRefused(id, () => onBreach(OPERATOR, id, breachId, 'cure', cure), 403, 'access.not_your_side');
      expect((await onBreach(BRAND, id, breachId, 'cure', cure)).body.recorded).toEqual(['BreachCureClaimed']);
      await expectRefused(id, () => onBreach(BRAND, id, breachId, 'cure', { ...cure, curedOn: '2028-03-21' }), 409, 'breach.cure_pending');
      expect((await contract(id)).breaches[0]).toMatchObject({ status: 'cure_claimed', cureClaimed: cure });
      const rejection = { reason: 'Orders of 18-20 March still wait', rejectedOn: '2028-03-22' };
      const beforeCure = await expectRefused(
        id,
        () => onBreach(OPERATOR, id, breachId, 'cure/rejection', { ...rejection, rejectedOn: '2028-03-19' }),
        422,
        'breach.answered_before_cure',
      );
      expect(factsOf(beforeCure)).toEqual({ date: '2028-03-19', earliest: '2028-03-20' });
      await expectRefused(id, () => onBreach(BRAND, id, breachId, 'cure/rejection', rejection), 403, 'access.not_your_side');
      expect((await onBreach(OPERATOR, id, breachId, 'cure/rejection', rejection)).body.recorded).toEqual(['BreachCureRejected']);
      expect((await contract(id)).breaches[0]).toMatchObject({ status: 'open', cureRejected: rejection });

      // On the deadline, with no cure accepted: the termination is recorded and the handover starts, due 30 days after.
      const terminated = await terminate(OPERATOR, id, { ...BREACH_TERMINATION, breachId });
      expect(terminated.body.recorded).toEqual(['ContractTerminated', 'HandoverStarted']);
      const ended = await contract(id);
      expect(ended).toMatchObject({
        status: 'terminated',
        termination: { initiatedBy: 'operator', grounds: { type: 'breach', breachId }, effectiveOn: '2028-04-01' },
        keyDates: { terminatedOn: '2028-04-01', handoverDueOn: '2028-05-01' },
      });
      expect((await api.get(`/contracts/${id}/handover`)).body).toMatchObject({ status: 'terminated', dueOn: '2028-05-01' });

      // Incidents are reported while the contract runs; an answer may still come during the handover.
      await expectRefused(id, () => report(OPERATOR, id, { ...SHIPPING_MISSED, occurredOn: '2028-03-15' }), 409, 'contract.not_active');
      const answered = await answerIncident(OPERATOR, id, operators, 'acknowledgement', { acknowledgedOn: '2028-04-02' });
      expect(answered.body.recorded).toEqual(['DutyIncidentAcknowledged']);
    });

    it('the notifying party answers a cure only once one is claimed', async () => {
      const id = await draftAndActivate(api);
      const breachId: string = (await notice(OPERATOR, id, NOTICE)).body.breachId;
      await expectRefused(
        id,
        () => onBreach(OPERATOR, id, breachId, 'cure/acceptance', { acceptedOn: '2028-03-21' }),
        409,
        'breach.no_cure_claimed',
      );
      await expectRefused(
        id,
        () => onBreach(OPERATOR, id, breachId, 'cure/rejection', { reason: 'Nothing to reject', rejectedOn: '2028-03-21' }),
        409,
        'breach.no_cure_claimed',
      );
    });

    it('a cure the notifying party accepted is no ground to terminate any more', async () => {
      const id = await draftAndActivate(api);
      const onOperator = {
        ...NOTICE,
        breachingParty: 'operator',
        clause: 'Operator result 1: answer customers within 24 hours',
        noticedOn: '2027-05-01',
      };
      const breachId: string = (await notice(BRAND, id, onOperator)).body.breachId;
      await onBreach(OPERATOR, id, breachId, 'cure', { curedOn: '2027-05-10', evidenceRef: 'CS-REPORT-0510' });
      await expectRefused(
        id,
        () => onBreach(OPERATOR, id, breachId, 'cure/acceptance', { acceptedOn: '2027-05-12' }),
        403,
        'access.not_your_side',
      );
      expect((await onBreach(BRAND, id, breachId, 'cure/acceptance', { acceptedOn: '2027-05-12' })).body.recorded).toEqual(['BreachCured']);
      expect((await onBreach(BRAND, id, breachId, 'cure/acceptance', { acceptedOn: '2027-05-12' })).body.recorded).toEqual([]);
      expect((await contract(id)).breaches[0]).toMatchObject({
        status: 'cured',
        cured: { curedOn: '2027-05-10', acceptedOn: '2027-05-12' },
      });
      await expectRefused(
        id,
        () => onBreach(OPERATOR, id, breachId, 'cure', { curedOn: '2027-05-13', evidenceRef: 'AGAIN' }),
        409,
        'breach.already_cured',
      );
      await expectRefused(
        id,
        () => terminate(BRAND, id, { ...BREACH_TERMINATION, initiatedBy: 'brand', breachId, effectiveOn: '2027-06-30' }),
        422,
        'termination.breach_cured',
      );
    });
  });

  describe('the terms: stipulated conditions, the cure and handover periods, renewal', () => {
    const STIPULATED = { initiatedBy: 'brand', grounds: 'stipulated_condition', effectiveOn: '2027-07-01' };
    /** A condition the story's draft does not stipulate (it stipulates 12.3). */
    const DELISTED = { conditionId: '12.5', description: 'Tmall delists the brand for counterfeits' };

    it('a termination on a stipulated condition cites one the terms in force list; one added by agreement is citable from its effective date', async () => {
      const id = await draftAndActivate(api);
      expect((await contract(id)).terms.terminationConditions).toEqual(DRAFT.terminationConditions);
      await expectRefused(
        id,
        () => terminate(BRAND, id, { ...STIPULATED, conditionId: '12.5' }),
        422,
        'termination.condition_not_stipulated',
      );
      const cited = await terminate(BRAND, id, { ...STIPULATED, clause: '12.5' });
      expect({ status: cited.status, code: cited.body.code }).toEqual({ status: 400, code: 'request.invalid' });

      const agreement = (changes: object[], effectiveOn = '2027-06-01') => ({ documentRef: `SA-${effectiveOn}`, effectiveOn, changes });
      const { countersigned } = await agree(api, id, agreement([{ type: 'add_termination_condition', condition: DELISTED }]));
      expect(countersigned.recorded).toEqual(['AmendmentCountersigned', 'ContractAmended']);
      expect((await contract(id)).terms.terminationConditions).toEqual([...DRAFT.terminationConditions, DELISTED]);
      const propose = (changes: object[]) => () =>
        brand().post(`/contracts/${id}/amendments`, { proposedBy: 'brand', ...agreement(changes, '2027-06-15') });
      await expectRefused(
        id,
        propose([{ type: 'add_termination_condition', condition: DELISTED }]),
        422,
        'amendment.condition_already_stipulated',
      );
      await expectRefused(
        id,
        propose([{ type: 'remove_termination_condition', conditionId: '12.9' }]),
        422,
        'amendment.condition_not_stipulated',
      );

      // Before the agreement took effect the terms did not list it.
      await expectRefused(
        id,
        () => terminate(BRAND, id, { ...STIPULATED, conditionId: '12.5', effectiveOn: '2027-05-31' }),
        422,
        'termination.condition_not_stipulated',
      );
      const terminated = await terminate(BRAND, id, { ...STIPULATED, conditionId: '12.5' });
      expect(terminated.body.recorded).toEqual(['ContractTerminated', 'HandoverStarted']);
      expect((await contract(id)).termination).toEqual({
        initiatedBy: 'brand',
        grounds: { type: 'stipulated_condition', conditionId: '12.5' },
        effectiveOn: '2027-07-01',
      });
    });

    it('a cure period amended sets the deadline of the notices served on or after its effective date only', async () => {
      const { contractId: id } = (await brand().post('/contracts', { ...DRAFT, curePeriodDays: 14 })).body;
      await brand().post(`/contracts/${id}/signatures`, { party: 'brand', signatory: 'Zhang Wei', signedOn: '2026-12-01' });
      await operator().post(`/contracts/${id}/signatures`, { party: 'operator', signatory: 'Li Na', signedOn: '2026-12-03' });
      const serve = async (noticedOn: string) => (await notice(OPERATOR, id, { ...NOTICE, noticedOn })).body.breachId as string;
      const before = await serve('2027-05-02');
      await agree(api, id, {
        documentRef: 'SA-CURE',
        effectiveOn: '2027-06-01',
        changes: [{ type: 'change_cure_period', curePeriodDays: 45 }],
      });
      const after = await serve('2027-06-05');
      // Served after the agreement, but dated before it took effect: the period then applies.
      const backdated = await serve('2027-05-20');
      const deadlines = Object.fromEntries(
        (await contract(id)).breaches.map((breach: { breachId: string; cureDeadline: string }) => [breach.breachId, breach.cureDeadline]),
      );
      expect(deadlines).toEqual({ [before]: '2027-05-16', [after]: '2027-07-20', [backdated]: '2027-06-03' });
      expect((await contract(id)).terms).toMatchObject({ curePeriodDays: 45, handoverPeriodDays: 30 });
      await expectRefused(
        id,
        () =>
          brand().post(`/contracts/${id}/amendments`, {
            proposedBy: 'brand',
            documentRef: 'SA-SAME',
            effectiveOn: '2027-07-01',
            changes: [{ type: 'change_cure_period', curePeriodDays: 45 }],
          }),
        422,
        'amendment.changes_nothing',
      );
    });

    it('renews by an agreement extending the term that takes effect by the end date, not after it', async () => {
      const id = await draftAndActivate(api);
      const extension = (effectiveOn: string) => ({
        proposedBy: 'brand',
        documentRef: `SA-RENEWAL-${effectiveOn}`,
        effectiveOn,
        changes: [{ type: 'extend_term', endsOn: '2032-12-31' }],
      });
      await expectRefused(id, () => brand().post(`/contracts/${id}/amendments`, extension('2030-01-01')), 422, 'amendment.outside_term');
      const { countersigned } = await agree(api, id, extension('2029-12-31'));
      expect(countersigned.recorded).toEqual(['AmendmentCountersigned', 'ContractAmended']);
      expect((await contract(id)).keyDates).toEqual({ termEndsOn: '2032-12-31', terminationNoticeDueBy: '2032-10-02' });
      // A termination after the term in force is refused naming it; one within the renewed term is not.
      const late = await expectRefused(
        id,
        () => terminate(OPERATOR, id, { ...MUTUAL_TERMINATION, effectiveOn: '2033-01-01' }),
        422,
        'termination.after_term',
      );
      expect(factsOf(late)).toEqual({ effectiveOn: '2033-01-01', termStartsOn: '2027-01-01', termEndsOn: '2032-12-31' });
      const early = await expectRefused(
        id,
        () => terminate(OPERATOR, id, { initiatedBy: 'operator', grounds: 'expiry', effectiveOn: '2029-12-31' }),
        422,
        'termination.before_expiry',
      );
      expect(factsOf(early)).toEqual({ effectiveOn: '2029-12-31', termEndsOn: '2032-12-31' });
    });

    it('dates each handover by the handover period, and refuses a sign-off dated before an item it closes was done, naming the dates', async () => {
      const { contractId: id } = (await brand().post('/contracts', { ...DRAFT, handoverPeriodDays: 45 })).body;
      await brand().post(`/contracts/${id}/signatures`, { party: 'brand', signatory: 'Zhang Wei', signedOn: '2026-12-01' });
      await operator().post(`/contracts/${id}/signatures`, { party: 'operator', signatory: 'Li Na', signedOn: '2026-12-03' });
      const { amendmentId: handoverId } = await agree(api, id, LOGISTICS_BACK);
      expect((await api.get(`/contracts/${id}/handover`)).body.partialHandovers).toEqual([
        expect.objectContaining({ handoverId, effectiveOn: '2028-01-01', dueOn: '2028-02-15' }),
      ]);

      await terminate(OPERATOR, id, MUTUAL_TERMINATION);
      expect((await contract(id)).keyDates).toMatchObject({ terminatedOn: '2028-04-01', handoverDueOn: '2028-05-16' });
      expect((await api.get(`/contracts/${id}/handover`)).body).toMatchObject({ dueOn: '2028-05-16' });

      // The partial handover's items done on 10 January: its sign-off on the 9th would come before them.
      await completeOpenItems(api, id, { handoverId, doneOn: '2028-01-10' });
      const signOff = { party: 'operator', signatory: 'Li Na', signedOffOn: '2028-01-09' };
      const refused = await expectRefused(
        id,
        () => operator().post(`/contracts/${id}/partial-handovers/${handoverId}/sign-offs`, signOff),
        422,
        'handover.sign_off_before_item',
      );
      expect(factsOf(refused)).toEqual({ itemId: 'logistics-repointing', completedOn: '2028-01-10', signedOffOn: '2028-01-09' });
      await signOffByBoth(api, id, { handoverId, on: '2028-01-10' });

      // The final settlement is agreed on 30 April: a final sign-off on the 29th is refused; on 2 May it closes the contract.
      await completeOpenItems(api, id, { settlement: await settleLedger(api, id) });
      const final = await expectRefused(
        id,
        () => operator().post(`/contracts/${id}/handover/sign-offs`, { ...signOff, signedOffOn: '2028-04-29' }),
        422,
        'handover.sign_off_before_item',
      );
      expect(factsOf(final)).toEqual({ itemId: 'final-settlement', completedOn: '2028-04-30', signedOffOn: '2028-04-29' });
      expect((await signOffByBoth(api, id, { on: '2028-05-02' })).recorded).toEqual(['HandoverSignedOff', 'ContractClosed']);
      const closed = await contract(id);
      expect(closed.status).toBe('closed');
      expect(closed.keyDates).toEqual({
        termEndsOn: '2029-12-31',
        terminationNoticeDueBy: '2029-10-02',
        terminatedOn: '2028-04-01',
        handoverDueOn: '2028-05-16',
      });
    });
  });
});
