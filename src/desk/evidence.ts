import type { HandoverEvidence, HandoverItemKind } from '../contracts/domain/handover';
import { isCalendarDate, isInstant } from '../shared/calendar';

/** How a field of evidence is typed in: the API's shape, in the words and units people use. */
export type Input = 'text' | 'paragraph' | 'date' | 'instant' | 'yuan' | 'yes' | 'lines';

export interface FieldSpec {
  readonly label: string;
  readonly input: Input;
}

type Evidence<Kind extends HandoverItemKind> = Extract<HandoverEvidence, { kind: Kind }>;

/**
 * The form of each evidence kind: one input per field of the API's evidence
 * schema (src/contracts/domain/handover.ts), and no other. Typed against the
 * schema, so a field added to or removed from it fails to compile here.
 */
type Forms = { readonly [Kind in HandoverItemKind]: { readonly [Field in Exclude<keyof Evidence<Kind>, 'kind'>]-?: FieldSpec } };

const CREDENTIALS = {
  rotatedBy: { label: 'Credentials rotated by', input: 'text' },
  rotatedAt: { label: 'Rotated at', input: 'instant' },
  receivedBy: { label: 'Account received by', input: 'text' },
  receivedAt: { label: 'Received at', input: 'instant' },
} as const;

const AGREED = {
  agreedByBrand: { label: 'Agreed for the brand by', input: 'text' },
  agreedByOperator: { label: 'Agreed for the operator by', input: 'text' },
} as const;

export const FORMS: Forms = {
  credential_handover: CREDENTIALS,
  alipay_handover: CREDENTIALS,
  alipay_reconciliation: {
    statementDate: { label: 'Statement date', input: 'date' },
    closingBalanceFen: { label: 'Closing balance (yuan)', input: 'yuan' },
    pendingRefundsFen: { label: 'Refunds pending (yuan)', input: 'yuan' },
    withdrawalsConfirmed: { label: 'The brand confirmed every withdrawal', input: 'yes' },
    ...AGREED,
  },
  authorization_revocation: {
    revocationDocumentRef: { label: 'Revocation document reference', input: 'text' },
    revokedOn: { label: 'Revoked on', input: 'date' },
  },
  inventory_return: {
    returnedOn: { label: 'Returned on', input: 'date' },
    receivedBy: { label: 'Received by', input: 'text' },
    inventoryListRef: { label: 'Inventory list reference', input: 'text' },
  },
  logistics_repointing: {
    repointedOn: { label: 'Re-pointed on', input: 'date' },
    accountsRepointed: { label: 'Accounts re-pointed (one a line)', input: 'lines' },
    confirmedBy: { label: 'Confirmed by', input: 'text' },
  },
  final_settlement: {
    settledOn: { label: 'Settled on', input: 'date' },
    serviceFeesFen: { label: 'Service fees settled (yuan)', input: 'yuan' },
    commissionFen: { label: 'Commission settled (yuan)', input: 'yuan' },
    settlementRef: { label: 'Settlement reference', input: 'text' },
    ...AGREED,
  },
};

/** The hint under an input whose format is not obvious. */
const INSTANT_EXAMPLE = '2028-04-02T10:00+08:00';
export const HINTS: Partial<Record<Input, string>> = {
  instant: `Date and time with its offset, e.g. ${INSTANT_EXAMPLE}`,
  yuan: 'Yuan, up to two decimals, e.g. 123456.78',
};

/** Yuan as typed (`1234.5`) in fen, exactly: no floating point on money. */
function fenOf(yuan: string): number | undefined {
  const parts = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(yuan);
  return parts ? Number(parts[1]) * 100 + Number((parts[2] ?? '').padEnd(2, '0')) : undefined;
}

/** The part of JSON Schema the API's OpenAPI document uses for evidence fields. */
interface FieldSchema {
  readonly type?: string;
  readonly format?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly items?: FieldSchema;
}
type EvidenceSchemas = Record<string, { readonly properties: Record<string, FieldSchema> }>;

let published: Promise<EvidenceSchemas> | undefined;

/**
 * The evidence schemas the API validates a completion with, by kind, as its
 * OpenAPI document publishes them (read once): the form checks exactly what
 * the API will check, without shipping the domain's schema library (Zod
 * would weigh 30 times the rest of the desk).
 */
function evidenceSchemas(): Promise<EvidenceSchemas> {
  published ??= fetch('/docs-json')
    .then((response) => response.json())
    .then((document: { components: { schemas: Record<string, { properties: Record<string, FieldSchema> }> } }) => {
      const { schemas } = document.components;
      const union = schemas.CompletionDto.properties.evidence as { discriminator: { mapping: Record<string, string> } };
      return Object.fromEntries(
        Object.entries(union.discriminator.mapping).map(([kind, ref]) => [kind, schemas[ref.slice(ref.lastIndexOf('/') + 1)]]),
      );
    });
  return published;
}

/** What is wrong with a value by its field's schema, in words, or nothing. */
function problemOf(value: unknown, schema: FieldSchema): string | undefined {
  if (typeof value === 'string') {
    if (value.length < (schema.minLength ?? 0)) return 'Required.';
    if (schema.maxLength !== undefined && value.length > schema.maxLength) return `At most ${schema.maxLength} characters.`;
    if (schema.format === 'date' && !isCalendarDate(value)) return 'A date on the calendar, YYYY-MM-DD.';
    if (schema.format === 'date-time' && !isInstant(value)) return `A date and time with its offset, e.g. ${INSTANT_EXAMPLE}.`;
  }
  if (typeof value === 'number' && !(value >= (schema.minimum ?? -Infinity) && value <= (schema.maximum ?? Infinity)))
    return 'Out of range.';
  if (Array.isArray(value)) {
    if (value.length < (schema.minItems ?? 0)) return `At least ${schema.minItems} line(s).`;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return `At most ${schema.maxItems} lines.`;
    const line = value.findIndex((item) => schema.items && problemOf(item, schema.items));
    if (line >= 0 && schema.items) return `Line ${line + 1}: ${problemOf(value[line], schema.items)}`;
  }
  return undefined;
}

/** What a form holds: text per field, `true`/`false` for a yes. */
export type Entries = Record<string, string | boolean>;

/** An entry as the API takes it: text trimmed, yuan in fen, one item a line; undefined for yuan that are not an amount. */
function valueOf(input: Input, entry: string | boolean): unknown {
  if (typeof entry === 'boolean') return entry;
  if (input === 'yuan') return fenOf(entry.trim());
  if (input === 'lines')
    return entry
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
  return entry.trim();
}

/**
 * The evidence a form's entries make, checked field by field as the API
 * checks it (required, dates on the calendar, instants with an offset,
 * lengths, bounds), or each field's problem in words.
 */
export async function evidenceFrom(
  kind: HandoverItemKind,
  entries: Entries,
): Promise<{ evidence: HandoverEvidence } | { problems: Record<string, string> }> {
  const { properties } = (await evidenceSchemas())[kind];
  const problems: Record<string, string> = {};
  const evidence: Record<string, unknown> = { kind };
  for (const [field, { input }] of Object.entries<FieldSpec>(FORMS[kind])) {
    const entry = entries[field] ?? (input === 'yes' ? false : '');
    const value = valueOf(input, entry);
    // Every field of every evidence kind is required.
    const problem =
      typeof entry === 'string' && entry.trim() === ''
        ? 'Required.'
        : value === undefined
          ? 'An amount in yuan, e.g. 1234.56.'
          : problemOf(value, properties[field]);
    if (problem) problems[field] = problem;
    else evidence[field] = value;
  }
  // The fields are the schema's, by the type of FORMS: the checks above are the whole of it.
  return Object.keys(problems).length > 0 ? { problems } : { evidence: evidence as HandoverEvidence };
}
