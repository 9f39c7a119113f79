import { z } from 'zod';
import { isCalendarDate, isInstant } from '../../shared/calendar';

/**
 * The building blocks of the runtime schemas that define commands and events.
 * Each type of the domain is inferred from its schema, so the type the
 * compiler checks and the shape the log accepts are one definition.
 */

/** Deeply readonly, as every command, event and state of the domain is. */
export type Immutable<T> = T extends readonly (infer Item)[]
  ? readonly Immutable<Item>[]
  : T extends object
    ? { readonly [Key in keyof T]: Immutable<T[Key]> }
    : T;

/** The domain type a schema defines. */
export type Infer<Schema extends z.ZodType> = Immutable<z.output<Schema>>;

/** A non-empty line of text (a name, a reference, a clause). */
export const text = (maxLength = 200) => z.string().min(1).max(maxLength);
/** An id the service or a client chose for something in a contract. */
export const id = text(100);
/** A party id chosen by clients: letters, digits, dot, dash, underscore. */
export const identifier = id.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'may hold letters, digits, ".", "_" and "-" only');
export const calendarDate = z.string().refine(isCalendarDate, 'must be a calendar date YYYY-MM-DD');
export const instant = z.string().refine(isInstant, 'must be an ISO 8601 time with an offset, e.g. 2029-12-31T10:00:00+08:00');
/** Money in integer fen (1 CNY = 100 fen): never a float. */
export const fen = z.int().min(0);
/** A rate in basis points: 1200 = 12%. */
export const basisPoints = z.int().min(0).max(10_000);

/**
 * A command's schema: the data of the event it records when granted, with
 * the command's type, so that a command and its event cannot drift apart.
 */
export const commandSchema = <Type extends string, Shape extends z.ZodRawShape>(type: Type, data: z.ZodObject<Shape>) =>
  data.extend({ type: z.literal(type) });

/** Each problem as `path: message`, the first few, for a refusal people can act on. */
export function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(whole)'}: ${issue.message}`);
  const more = error.issues.length > shown.length ? ` (and ${error.issues.length - shown.length} more)` : '';
  return shown.join('; ') + more;
}
