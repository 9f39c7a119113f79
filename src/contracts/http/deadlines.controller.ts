import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from '../../auth/http/auth.guard';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { ConsistentReadQuery } from '../../http/read-query';
import { OperationGroup } from '../../http/openapi-routes';
import { createHash } from 'node:crypto';
import { addDays } from '../../shared/calendar';
import { WeighedLru } from '../../shared/weighed-lru';
import { BUSINESS_CALENDAR, CLOCK, type BusinessCalendar, type Clock } from '../../shared/clock';
import type { Principal } from '../../shared/identity';
import { ListDeadlinesQuery } from '../read-side/queries';
import { deadlinesCalendar } from './deadlines-calendar';
import { DeadlinesQuery } from './dto/read-query.dto';

const DEFAULT_WITHIN = '30d';
/** How far back the calendar goes: a subscribed calendar keeps a year of past deadlines (those that still apply, see deadlines.ts). */
const CALENDAR_HISTORY_DAYS = 365;
/** What the feeds lately written may weigh in all (their characters). */
const WRITTEN_FEEDS_BYTES = 16 * 2 ** 20;

/**
 * The deadlines of the contracts the principal may see (notice due, term
 * end, cure deadlines, handover due dates), from the contracts read model:
 * the upcoming ones as JSON, and all of them as a calendar to subscribe to.
 * Today is the business date now, in the business time zone.
 */
@OperationGroup('Deadlines')
@Controller()
export class DeadlinesController {
  /** Feeds lately written, by whose view and what deadlines they hold. */
  private readonly written = new WeighedLru<string, string>(WRITTEN_FEEDS_BYTES);

  constructor(
    private readonly queryBus: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(BUSINESS_CALENDAR) private readonly businessCalendar: BusinessCalendar,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The deadlines due from today through `within` days after it, by due date then contract. */
  @Get('deadlines')
  async upcoming(@Query() query: DeadlinesQuery, @CurrentPrincipal() principal: Principal) {
    const { within = DEFAULT_WITHIN, minPosition } = query;
    const today = this.businessCalendar.today();
    const dueOn = { from: today, to: addDays(today, Number(within.slice(0, -1))) };
    const deadlines = await this.queryBus.execute(new ListDeadlinesQuery(principal, dueOn, minPosition));
    return { today, within, deadlines };
  }

  /** The deadlines of the last year and all to come, as iCalendar. */
  @Get('deadlines.ics')
  async calendar(
    @Query() query: ConsistentReadQuery,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const dueOn = { from: addDays(this.businessCalendar.today(), -CALENDAR_HISTORY_DAYS) };
    const deadlines = await this.queryBus.execute(new ListDeadlinesQuery(principal, dueOn, query.minPosition));
    reply.header('content-type', 'text/calendar; charset=utf-8');
    // Writing a calendar costs about a quarter of a millisecond an event (thousands for an auditor, who sees every
    // contract), reading its deadlines a few: calendars poll, and the same deadlines get the feed already written.
    const key = `${principal.role} ${principal.partyId ?? ''}\n${createHash('sha256').update(JSON.stringify(deadlines)).digest('hex')}`;
    const written = this.written.get(key);
    if (written !== undefined) return written;
    const feed = deadlinesCalendar(deadlines, { principal, timeZone: this.config.timeZone, now: this.clock.now() });
    this.written.keep(key, feed, feed.length);
    return feed;
  }
}
