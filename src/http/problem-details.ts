import { BadRequestException, type ValidationError } from '@nestjs/common';

/**
 * Every error answer has one shape (RFC 9457 problem details, plus a stable
 * `code` clients can match on): `{ type, title, status, code, detail, ... }`.
 */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly [extension: string]: unknown;
}

export function problem(status: number, code: string, detail: string, extensions: Record<string, unknown> = {}): ProblemDetails {
  return { type: `urn:problem:${code}`, title: code, status, code, detail, ...extensions };
}

export interface FieldProblem {
  readonly field: string;
  readonly problems: readonly string[];
}

/** The global ValidationPipe's answer: 400 naming each bad field. */
export function invalidRequest(errors: readonly ValidationError[]): BadRequestException {
  const fields = flatten(errors);
  const detail = `The request is invalid: ${fields.map((field) => `${field.field} (${field.problems.join('; ')})`).join(', ')}.`;
  return new BadRequestException(problem(400, 'request.invalid', detail, { errors: fields }));
}

function flatten(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own: FieldProblem[] = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
