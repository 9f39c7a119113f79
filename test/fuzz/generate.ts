/**
 * Schema-valid request bodies and query values, generated from the service's
 * own OpenAPI document (`/docs-json`), from a seeded random source.
 */

/**
 * A small seeded PRNG (mulberry32) rather than fast-check's runner: the fuzz
 * campaign is one long stateful conversation with a live server under a
 * request budget, which fits neither property shrinking nor fast-check's
 * run loop; all it needs is a reproducible stream of choices from one seed.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A sub-stream for one route: its requests stay the same whatever other routes do. */
  static derive(seed: number, label: string): Random {
    let hash = seed >>> 0;
    for (const char of label) hash = Math.imul(hash ^ char.charCodeAt(0), 0x9e3779b1) >>> 0;
    return new Random(hash);
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number from min to max, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  uuid(): string {
    const hex = () => this.int(0, 15).toString(16);
    const block = (length: number) => Array.from({ length }, hex).join('');
    return `${block(8)}-${block(4)}-4${block(3)}-${this.pick(['8', '9', 'a', 'b'])}${block(3)}-${block(12)}`;
  }
}

/** The subset of JSON Schema (OpenAPI 3) the service's document uses. */
export interface Schema {
  readonly $ref?: string;
  readonly type?: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | Schema;
  readonly items?: Schema;
  readonly oneOf?: readonly Schema[];
  readonly discriminator?: { readonly propertyName: string; readonly mapping?: Readonly<Record<string, string>> };
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly pattern?: string;
}

export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
  readonly components?: { readonly schemas?: Readonly<Record<string, Schema>> };
}

export interface Operation {
  readonly parameters?: readonly { readonly name: string; readonly in: string; readonly required?: boolean; readonly schema?: Schema }[];
  readonly requestBody?: { readonly content?: Readonly<Record<string, { readonly schema?: Schema }>> };
}

/** Where a value sits in a body: property names and array indices from the root. */
export type JsonPath = readonly (string | number)[];

/** A generated node and the schema it was generated from, so mutations can aim past its limits. */
export interface Slot {
  readonly path: JsonPath;
  readonly schema: Schema;
  readonly required: boolean;
}

export interface Generated {
  readonly value: unknown;
  readonly slots: readonly Slot[];
}

/**
 * Values the target contract needs for a request to get past the domain rules
 * (the breach id to terminate for, the kind of the item being completed),
 * keyed by property name or by a dotted path suffix (`brand.partyId`).
 */
export type Hints = Readonly<Record<string, unknown>>;

/** The kind of string a property holds: from its `format`, else from its name. */
export function stringKind(schema: Schema, name: string): 'date' | 'date-time' | 'uuid' | 'text' {
  if (schema.format === 'date' || schema.format === 'date-time' || schema.format === 'uuid') return schema.format;
  // The document declares business dates as plain strings (the DTOs check
  // them with custom validators), so the API's naming convention says which
  // are dates: `...On` and `statementDate` are days, `...At` are instants.
  if (/On$|Date$/.test(name)) return 'date';
  if (/At$/.test(name)) return 'date-time';
  return 'text';
}

export class SchemaGenerator {
  constructor(private readonly document: OpenApiDocument) {}

  /** The schema a `$ref` names (the document puts `$ref` beside `type`, so the reference wins). */
  resolve(schema: Schema): Schema {
    let current = schema;
    for (let hops = 0; current.$ref !== undefined && hops < 20; hops++) {
      const name = current.$ref.replace('#/components/schemas/', '');
      const target = this.document.components?.schemas?.[name];
      if (!target) throw new Error(`unresolved $ref ${current.$ref}`);
      current = target;
    }
    return current;
  }

  generate(schema: Schema, random: Random, hints: Hints = {}): Generated {
    const slots: Slot[] = [];
    const value = this.value(schema, random, hints, [], true, slots);
    return { value, slots };
  }

  private value(schema: Schema, random: Random, hints: Hints, path: JsonPath, required: boolean, slots: Slot[]): unknown {
    const resolved = this.resolve(schema);
    const hinted = hintFor(hints, path);
    if (resolved.oneOf) return this.oneOf(resolved, random, hints, path, required, slots);
    slots.push({ path, schema: resolved, required });
    if (hinted !== undefined && random.chance(0.85)) return hinted;
    if (resolved.enum) return random.pick(resolved.enum);
    const name = String(path.filter((part) => typeof part === 'string').at(-1) ?? '');
    switch (resolved.type ?? (resolved.properties ? 'object' : 'string')) {
      case 'object':
        return this.object(resolved, random, hints, path, slots);
      case 'array':
        return this.array(resolved, random, hints, path, slots);
      case 'integer':
      case 'number':
        return random.int(resolved.minimum ?? 0, Math.min(resolved.maximum ?? 1_000_000, 100_000_000));
      case 'boolean':
        return random.chance(0.5);
      default:
        return stringValue(resolved, name, random);
    }
  }

  /** A discriminated union: pick a mapping entry, generate its schema, set the discriminator to the entry's name. */
  private oneOf(schema: Schema, random: Random, hints: Hints, path: JsonPath, required: boolean, slots: Slot[]): unknown {
    const property = schema.discriminator?.propertyName;
    const mapping = Object.entries(schema.discriminator?.mapping ?? {});
    const hintedTag = property === undefined ? undefined : hintFor(hints, [...path, property]);
    const entry = mapping.find(([tag]) => tag === hintedTag) ?? (mapping.length > 0 ? random.pick(mapping) : undefined);
    const chosen = entry ? { $ref: entry[1] } : random.pick(schema.oneOf!);
    const value = this.value(chosen, random, hints, path, required, slots);
    if (property !== undefined && entry && isRecord(value)) value[property] = entry[0];
    return value;
  }

  private object(schema: Schema, random: Random, hints: Hints, path: JsonPath, slots: Slot[]): Record<string, unknown> {
    const required = new Set(schema.required ?? []);
    const result: Record<string, unknown> = {};
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const isRequired = required.has(name);
      // Optional properties come half the time, or whenever the target hints them (a breach id for a breach termination).
      if (isRequired || hintFor(hints, [...path, name]) !== undefined || random.chance(0.5)) {
        result[name] = this.value(property, random, hints, [...path, name], isRequired, slots);
      }
    }
    return result;
  }

  private array(schema: Schema, random: Random, hints: Hints, path: JsonPath, slots: Slot[]): unknown[] {
    const items = schema.items ?? {};
    const length = random.int(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, (schema.minItems ?? 0) + 3));
    const result: unknown[] = [];
    for (let index = 0; result.length < length && index < length * 5; index++) {
      const item = this.value(items, random, hints, [...path, result.length], true, slots);
      if (schema.uniqueItems && result.some((other) => JSON.stringify(other) === JSON.stringify(item))) continue;
      result.push(item);
    }
    return result;
  }
}

function hintFor(hints: Hints, path: JsonPath): unknown {
  const names = path.filter((part): part is string => typeof part === 'string');
  for (let start = 0; start < names.length; start++) {
    const key = names.slice(start).join('.');
    if (key in hints) return hints[key];
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const WORDS = [
  'Feiyue',
  'Yunshang',
  'Tmall',
  'flagship',
  'store',
  'Zhang Wei',
  'Li Na',
  'SA-2028',
  'EV',
  '旗舰店',
  'clause 5.2',
  'INV',
  'R-1',
];

/** A valid calendar day, mostly within the fixtures' term (2027 to 2029) so the domain rules let some through; else 2026 to 2030. */
export function randomDate(random: Random): string {
  const days = random.chance(0.9) ? random.int(365, 1460) : random.int(0, 5 * 365);
  const day = new Date(Date.UTC(2026, 0, 1) + days * 86_400_000);
  return day.toISOString().slice(0, 10);
}

function stringValue(schema: Schema, name: string, random: Random): string {
  const kind = stringKind(schema, name);
  if (kind === 'date') return randomDate(random);
  if (kind === 'date-time')
    return `${randomDate(random)}T${String(random.int(0, 23)).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}:00${random.pick(['Z', '+08:00', '-05:00'])}`;
  if (kind === 'uuid') return random.uuid();
  const min = Math.max(schema.minLength ?? 1, 1);
  const max = Math.max(min, Math.min(schema.maxLength ?? 60, 60));
  if (schema.pattern !== undefined) return patterned(new RegExp(schema.pattern), min, max, random);
  let text = random.pick(WORDS);
  while (text.length < min) text += ` ${random.pick(WORDS)}`;
  return text.slice(0, max);
}

/**
 * A string matching a pattern: a calendar month for a pattern of months (the
 * ledger's `YYYY-MM`, which takes no plain word), else candidates from a few
 * alphabets, checked against it (the document's other patterns are
 * identifiers, positions and hex digests, which these cover without a regex
 * engine of our own).
 */
function patterned(pattern: RegExp, min: number, max: number, random: Random): string {
  if (pattern.test('2027-03') && !pattern.test('x')) return randomDate(random).slice(0, 7);
  const alphabets = ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._', '0123456789', '0123456789abcdef'];
  for (let attempt = 0; attempt < 50; attempt++) {
    const alphabet = alphabets[attempt % alphabets.length];
    const length = attempt % 3 === 2 ? 64 : random.int(min, Math.min(max, 20));
    const candidate = Array.from({ length }, () => alphabet[random.int(0, alphabet.length - 1)]).join('');
    if (pattern.test(candidate)) return candidate;
  }
  return 'a';
}
