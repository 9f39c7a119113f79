import { startTestApp, type HttpAnswer, type TestApi } from '../support/http-client';
import { operations, resolve, sample, type Json } from './openapi-checks';

/** A value of the wrong kind for a schema's type. */
const WRONG_TYPE: Record<string, unknown> = { string: 7, integer: 'x', number: 'x', boolean: 'x', object: 'x', array: 'x' };

/** Values a schema refuses, as a query string carries them. */
function refusedQueryValues(schema: Json): string[] {
  return [
    ...(schema.enum ? ['nope'] : []),
    ...(schema.format === 'date' ? ['2027-02-30', '2027-2-3'] : []),
    ...(schema.format === 'date-time' ? ['2027-02-30T10:00:00Z', '2027-01-01'] : []),
    ...(schema.type === 'integer' ? ['x', '1.5'] : []),
    ...(schema.minimum === undefined ? [] : [String(schema.minimum - 1)]),
    ...(schema.maximum === undefined ? [] : [String(schema.maximum + 1)]),
    ...(schema.format === 'uuid' || schema.pattern ? ['!'] : []),
  ];
}

/**
 * What a fuzzer driven by the document relies on: whatever the document
 * allows passes validation (the answer may still be a business refusal, here
 * mostly 404 as the contract does not exist), and what it forbids is refused
 * with 400 `request.invalid`.
 */
describe('requests generated from the OpenAPI document', () => {
  let api: TestApi;
  let document: Json;
  let authorization: string;
  beforeAll(async () => {
    // Every body and query variant of every route, as one admin: more than a key's default rate.
    api = await startTestApp({ PROJECTION_WAIT_MS: '10', RATE_LIMIT_PER_MINUTE: '1000000' });
    document = (await api.call('GET', '/docs-json')).body;
    authorization = `Bearer ${(await api.keyOf('admin')).key}`;
  });
  afterAll(async () => {
    await api.stop();
  });

  /** Calls the operation as an admin, its path parameters filled with values of their schemas. */
  function send(
    method: string,
    path: string,
    operation: Json,
    { body, query = '' }: { body?: unknown; query?: string },
  ): Promise<HttpAnswer> {
    const parameters = (operation.parameters ?? []) as Json[];
    const filled = path.replace(/\{(\w+)\}/g, (_, name: string) =>
      String(sample(document, parameters.find((parameter) => parameter.name === name).schema)),
    );
    return api.call(method.toUpperCase(), `${filled}${query}`, body, { authorization });
  }

  const bodyOperations = () =>
    operations(document)
      .filter(([, , operation]) => operation.requestBody)
      .map(([method, path, operation]): [string, string, Json, Json] => [
        method,
        path,
        operation,
        operation.requestBody.content['application/json'].schema,
      ]);

  /** `label` for each answer that is not what was expected: `request.invalid` or anything else. */
  const verdicts = (answers: Array<[string, HttpAnswer]>, expectInvalid: boolean) =>
    answers
      .filter(([, answer]) => (answer.body?.code === 'request.invalid') !== expectInvalid)
      .map(([label, answer]) => `${label}: ${answer.status} ${answer.body?.code}`);

  it('every body with the required fields of its schema passes validation; without one, with a wrong type, an impossible date or an unknown field it is refused', async () => {
    const accepted: Array<[string, HttpAnswer]> = [];
    const refused: Array<[string, HttpAnswer]> = [];
    for (const [method, path, operation, schema] of bodyOperations()) {
      const valid = sample(document, schema) as Record<string, unknown>;
      accepted.push([`${method} ${path}`, await send(method, path, operation, { body: valid })]);
      const object = resolve(document, schema);
      const member = object.oneOf ? resolve(document, object.oneOf[0]) : object;
      const broken: Array<[string, unknown]> = [['an unknown field', { ...valid, unknownField: 'x' }]];
      for (const field of member.required as string[]) {
        const { [field]: _omitted, ...without } = valid;
        broken.push([`without ${field}`, without]);
        const property = resolve(document, member.properties[field]);
        if (property.type) broken.push([`${field} of a wrong type`, { ...valid, [field]: WRONG_TYPE[property.type] }]);
        if (property.format === 'date') broken.push([`${field} on 30 February`, { ...valid, [field]: '2027-02-30' }]);
        if (property.format === 'date-time') broken.push([`${field} on 30 February`, { ...valid, [field]: '2027-02-30T10:00:00Z' }]);
      }
      for (const [how, body] of broken) refused.push([`${method} ${path} ${how}`, await send(method, path, operation, { body })]);
    }
    expect(accepted.length).toBeGreaterThan(10);
    expect(verdicts(accepted, false)).toEqual([]);
    expect(verdicts(refused, true)).toEqual([]);
  });

  it('every member of every discriminated union passes validation; with a field of another member, or without one of its own, it is refused', async () => {
    const schemas = document.components.schemas;
    const unions: Array<[string, string, Json, (member: unknown) => unknown]> = [
      ['post', '/contracts/{id}/termination', schemas.TerminationDto, (member) => member],
      [
        'post',
        '/contracts/{id}/handover/items/{itemId}/completion',
        schemas.CompletionDto.properties.evidence,
        (evidence) => ({ evidence }),
      ],
      [
        'post',
        '/contracts/{id}/amendments',
        schemas.AmendmentDto.properties.changes.items,
        (change) => ({ ...(sample(document, schemas.AmendmentDto) as object), changes: [change] }),
      ],
    ];
    const accepted: Array<[string, HttpAnswer]> = [];
    const refused: Array<[string, HttpAnswer]> = [];
    for (const [method, path, union, wrap] of unions) {
      const operation = document.paths[path][method];
      const members = Object.entries(union.discriminator.mapping as Record<string, string>).map(
        ([value, $ref]) => [value, resolve(document, { $ref })] as const,
      );
      for (const [value, member] of members) {
        const valid = sample(document, member) as Record<string, unknown>;
        accepted.push([`${path} ${value}`, await send(method, path, operation, { body: wrap(valid) })]);
        for (const field of (member.required as string[]).filter((name) => name !== union.discriminator.propertyName)) {
          const { [field]: _omitted, ...without } = valid;
          refused.push([`${path} ${value} without ${field}`, await send(method, path, operation, { body: wrap(without) })]);
        }
        for (const [other, otherMember] of members) {
          for (const field of Object.keys(otherMember.properties).filter((name) => !(name in member.properties))) {
            const body = wrap({ ...valid, [field]: sample(document, otherMember.properties[field]) });
            refused.push([`${path} ${value} with ${field} of ${other}`, await send(method, path, operation, { body })]);
          }
        }
      }
    }
    expect(refused.map(([label]) => label)).toEqual(
      expect.arrayContaining([
        '/contracts/{id}/termination mutual_agreement with breachId of breach',
        '/contracts/{id}/termination breach without breachId',
      ]),
    );
    expect(verdicts(accepted, false)).toEqual([]);
    expect(verdicts(refused, true)).toEqual([]);
  });

  it('every query parameter takes the values its schema allows and refuses the others', async () => {
    const accepted: Array<[string, HttpAnswer]> = [];
    const refused: Array<[string, HttpAnswer]> = [];
    for (const [method, path, operation] of operations(document)) {
      for (const parameter of (operation.parameters as Json[]).filter((candidate) => candidate.in === 'query')) {
        const label = `${method} ${path}?${parameter.name}`;
        const value = (text: string) => `?${parameter.name}=${encodeURIComponent(text)}`;
        accepted.push([label, await send(method, path, operation, { query: value(String(sample(document, parameter.schema))) })]);
        for (const wrong of refusedQueryValues(parameter.schema))
          refused.push([`${label}=${wrong}`, await send(method, path, operation, { query: value(wrong) })]);
      }
    }
    expect(accepted.length).toBeGreaterThan(15);
    expect(verdicts(accepted, false)).toEqual([]);
    expect(verdicts(refused, true).map((verdict) => verdict.split(': ')[0])).toEqual([]);
  });
});
