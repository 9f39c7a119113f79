import { csvDocument, type CsvCell } from '../../shared/csv';
import type { CommissionBase } from '../domain/terms';
import type { LedgerView, StatementView } from '../read-side/ledger-views';

/**
 * The ledger and a statement as CSV for a spreadsheet (see shared/csv.ts):
 * headers in Chinese and English, every amount twice, in yuan with two
 * decimals to read and in fen to compute with, and a totals row at the end.
 */

interface Column<Row> {
  readonly header: string;
  readonly cell: (row: Row) => CsvCell;
}

/** Integer fen as yuan with two decimals: 3000000 -> "30000.00". */
export function yuan(fen: number): string {
  const whole = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(whole / 100)}.${String(whole % 100).padStart(2, '0')}`;
}

const column = <Row>(header: string, cell: (row: Row) => CsvCell | undefined): Column<Row>[] => [
  { header, cell: (row) => cell(row) ?? '' },
];

/** An amount as two columns, yuan and fen; empty where the row has none. */
const money = <Row>(chinese: string, english: string, fen: (row: Row) => number | undefined): Column<Row>[] => [
  ...column<Row>(`${chinese}(元) ${english} (yuan)`, (row) => {
    const amount = fen(row);
    return amount === undefined ? undefined : yuan(amount);
  }),
  ...column<Row>(`${chinese}(分) ${english} (fen)`, fen),
];

function table<Row>(columns: ReadonlyArray<Column<Row>[]>, rows: readonly Row[]): string {
  const flat = columns.flat();
  return csvDocument(
    flat.map((one) => one.header),
    rows.map((row) => flat.map((one) => one.cell(row))),
  );
}

const TOTAL = '合计 Total';

type MonthRow = LedgerView['months'][number];

const MONTH_COLUMNS: ReadonlyArray<Column<MonthRow>[]> = [
  column('月份 Month', (row) => row.month),
  column('服务起始 Service from', (row) => row.serviceDays.from),
  column('服务截止 Service to', (row) => row.serviceDays.to),
  column('已确认报告 Confirmed reports', (row) => row.reports.confirmed),
  column('待确认报告 Reports awaiting confirmation', (row) => row.reports.awaitingConfirmation),
  column('有争议报告 Disputed reports', (row) => row.reports.disputed),
  column('对账单 Statement', (row) => row.statementId),
  money('服务费', 'Service fees', (row) => row.serviceFeesFen),
  money('佣金', 'Commission', (row) => row.commissionFen),
  money('结算金额', 'Charged', (row) => row.chargedFen),
  money('已付', 'Paid', (row) => row.paidFen),
  money('未付', 'Open', (row) => row.openFen),
  money('承诺推广预算', 'Promotion committed', (row) => row.promotion.committedFen),
  money('推广支出', 'Promotion spent', (row) => row.promotion.spentFen),
  money('推广缺口', 'Promotion shortfall', (row) => row.promotion.shortfallFen),
];

/** The contract's ledger, one row per month with service days, then the totals. */
export function ledgerCsv(view: LedgerView): string {
  const { totals } = view;
  const sum = (count: (row: MonthRow) => number) => view.months.reduce((total, row) => total + count(row), 0);
  const total: MonthRow = {
    month: TOTAL,
    serviceDays: { from: view.serviceDays.first, to: view.serviceDays.last },
    reports: {
      confirmed: sum((row) => row.reports.confirmed),
      awaitingConfirmation: sum((row) => row.reports.awaitingConfirmation),
      disputed: sum((row) => row.reports.disputed),
    },
    serviceFeesFen: totals.serviceFeesFen,
    commissionFen: totals.commissionFen,
    chargedFen: totals.chargedFen,
    paidFen: totals.paidFen,
    openFen: totals.openFen,
    promotion: {
      committedFen: totals.promotionCommittedFen,
      spentFen: totals.promotionSpentFen,
      shortfallFen: sum((row) => row.promotion.shortfallFen ?? 0),
    },
  };
  return table(MONTH_COLUMNS, [...view.months, total]);
}

type Line = StatementView['lines'][number];
type LineOf<Kind extends Line['kind']> = Extract<Line, { kind: Kind }>;

/** A statement's line, or one of its totals, as a row of its CSV. */
interface StatementRow {
  readonly kind: string;
  readonly line?: Line;
  readonly amountFen: number;
}

const BASES: Record<CommissionBase, string> = { gross: '销售额 Gross sales', net_of_shipping: '扣除运费 Net of shipping' };
const KINDS: Record<Line['kind'], string> = { service_fee: '服务费 Service fee', commission: '佣金 Commission' };

/** A field of the row's line when the line is of that kind. */
const of =
  <Kind extends Line['kind'], Value>(kind: Kind, field: (line: LineOf<Kind>) => Value) =>
  (row: StatementRow): Value | undefined =>
    row.line?.kind === kind ? field(row.line as LineOf<Kind>) : undefined;

const STATEMENT_COLUMNS: ReadonlyArray<Column<StatementRow>[]> = [
  column('类别 Kind', (row) => row.kind),
  column(
    '平台 Platform',
    of('commission', (line) => line.shop.platform),
  ),
  column(
    '店铺 Shop',
    of('commission', (line) => line.shop.name),
  ),
  column('起 From', (row) => row.line?.from),
  column('止 To', (row) => row.line?.to),
  column(
    '服务天数 Service days',
    of('service_fee', (line) => line.days),
  ),
  column(
    '当月天数 Days in month',
    of('service_fee', (line) => line.daysInMonth),
  ),
  money(
    '月服务费',
    'Monthly service fee',
    of('service_fee', (line) => line.serviceFeeMonthlyFen),
  ),
  money(
    '销售额',
    'Gross sales',
    of('commission', (line) => line.grossSalesFen),
  ),
  money(
    '退款',
    'Refunds',
    of('commission', (line) => line.refundsFen),
  ),
  money(
    '运费',
    'Shipping cost',
    of('commission', (line) => line.shippingCostFen),
  ),
  column(
    '计佣方式 Commission base',
    of('commission', (line) => BASES[line.commissionBase]),
  ),
  money(
    '计佣基数',
    'Commission base amount',
    of('commission', (line) => line.baseFen),
  ),
  column(
    '佣金比例(%) Commission rate (%)',
    of('commission', (line) => String(line.commissionRateBp / 100)),
  ),
  money('金额', 'Amount', (row) => row.amountFen),
  column(
    '销售报告 Sales reports',
    of('commission', (line) => line.reportIds.join(' ')),
  ),
];

/** A statement, one row per line, then its totals and what was paid and is open. */
export function statementCsv(view: StatementView): string {
  const rows: StatementRow[] = [
    ...view.lines.map((line) => ({ kind: KINDS[line.kind], line, amountFen: line.amountFen })),
    { kind: '服务费合计 Service fees', amountFen: view.serviceFeesFen },
    { kind: '佣金合计 Commission', amountFen: view.commissionFen },
    { kind: TOTAL, amountFen: view.totalFen },
    { kind: '已付 Paid', amountFen: view.balance.paidFen },
    { kind: '未付 Open', amountFen: view.balance.openFen },
  ];
  return table(STATEMENT_COLUMNS, rows);
}
