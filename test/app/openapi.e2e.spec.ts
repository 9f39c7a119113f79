import { startTestApp, type TestApi } from '../support/http-client';
import { MATRIX } from '../support/route-catalog';
import { operations, resolve, schemaChecker, type Json } from './openapi-checks';

/** Every schema reachable from `roots`, each once, with the name of the property it describes (if any). */
function reachable(document: Json, roots: Array<[string | undefined, Json]>): Array<[string | undefined, Json]> {
  const seen = new Set<Json>();
  const found: Array<[string | undefined, Json]> = [];
  const visit = (name: string | undefined, given: Json) => {
    const schema = resolve(document, given);
    found.push([name, schema]);
    if (seen.has(schema)) return;
    seen.add(schema);
    for (const [property, child] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) visit(property, child);
    for (const child of [...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) visit(name, child);
    if (schema.items) visit(name, schema.items);
  };
  for (const [name, root] of roots) visit(name, root);
  return found;
}

/** What clients send, validated: request bodies and query parameters (path parameters are looked up: any text is a 404 at worst). */
const requestRoots = (document: Json) =>
  operations(document).flatMap(([, , operation]): Array<[string | undefined, Json]> => [
    ...(operation.requestBody ? [[undefined, operation.requestBody.content['application/json'].schema] as [undefined, Json]] : []),
    ...(operation.parameters as Json[])
      .filter((parameter) => parameter.in === 'query')
      .map((parameter): [string, Json] => [parameter.name, parameter.schema]),
  ]);

/** `POST /contracts/:id/signatures (as brand)` -> `post /contracts/{id}/signatures`. */
function operationOf(route: string): string {
  const [method, path] = route.split(' ');
  return `${method.toLowerCase()} ${path.replace(/:(\w+)/g, '{$1}')}`;
}

describe('the OpenAPI document', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(async () => {
    await api.stop();
  });

  it('documents every route of the app, and the role matrix covers every documented route', async () => {
    const document = (await api.call('GET', '/docs-json')).body;
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`))
      .sort();
    const matrix = [...new Set(MATRIX.map((row) => operationOf(row.route)))].sort();
    expect(documented).toEqual(matrix);
  });

  it('describes bodies from the DTOs, the error shape, the security scheme and examples from the story', async () => {
    const document = (await api.call('GET', '/docs-json')).body;
    expect(document.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.security).toEqual([{ apiKey: [] }]);
    expect(document.components.schemas.DraftContractDto.required).toEqual(
      expect.arrayContaining(['brand', 'operator', 'scopes', 'shops', 'fees', 'shipping', 'promotion', 'clauses', 'term']),
    );
    expect(document.components.schemas.FeesDto.properties.commissionRateBp).toMatchObject({ minimum: 0, maximum: 10000 });
    const draft = document.paths['/contracts'].post;
    expect(draft.requestBody.content['application/json'].example.brand).toEqual({ partyId: 'brand-feiyue', name: 'Feiyue Sports' });
    expect(draft.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/WriteResponse' });
    expect(draft.responses['409'].content['application/problem+json'].schema.allOf[0]).toEqual({
      $ref: '#/components/schemas/ProblemDetails',
    });
    expect(document.paths['/health/ready'].get.security).toEqual([]);
    const evidence = document.components.schemas.CompletionDto.properties.evidence;
    expect(evidence.discriminator.mapping.credential_handover).toBe('#/components/schemas/CredentialHandoverEvidence');
    expect(evidence.oneOf).toHaveLength(7);
    expect(document.components.schemas.CredentialHandoverEvidence.required).toEqual(
      expect.arrayContaining(['rotatedBy', 'receivedBy', 'kind']),
    );
    expect(document.components.schemas.AmendmentDto.properties.changes.items.discriminator.mapping.remove_scope).toBe(
      '#/components/schemas/RemoveScopeChange',
    );
  });

  it('takes agreements that change clauses and shops, and documents each handover step on the final and on a partial handover with its own problems', async () => {
    const document: Json = (await api.call('GET', '/docs-json')).body;
    const changes = document.components.schemas.AmendmentDto.properties.changes.items.discriminator.mapping;
    expect(changes).toMatchObject({
      change_clauses: '#/components/schemas/ChangeClausesChange',
      add_shop: '#/components/schemas/AddShopChange',
      remove_shop: '#/components/schemas/RemoveShopChange',
    });
    expect(document.components.schemas.AddShopChange.properties.shop).toMatchObject({ $ref: '#/components/schemas/ShopDto' });
    expect(Object.keys(changes)).toEqual(
      expect.arrayContaining(['change_cure_period', 'change_handover_period', 'add_termination_condition', 'remove_termination_condition']),
    );
    // The terms' periods and stipulated conditions: optional in a draft (the defaults), bounded like the notice period.
    const draft = document.components.schemas.DraftContractDto;
    expect(draft.required).not.toEqual(expect.arrayContaining(['curePeriodDays']));
    for (const period of ['noticePeriodDays', 'curePeriodDays', 'handoverPeriodDays'])
      expect(draft.properties[period]).toMatchObject({ type: 'integer', minimum: 0, maximum: 365 });
    expect(draft.properties.terminationConditions).toMatchObject({ type: 'array', maxItems: 20 });
    const stipulated = document.components.schemas.TerminationDto.discriminator.mapping.stipulated_condition;
    expect(resolve(document, { $ref: stipulated }).required).toContain('conditionId');
    expect(document.paths['/contracts/{id}/amendments'].post.requestBody.content['application/json'].example.proposedBy).toBe('brand');

    const codes = (path: string, status: string): string[] =>
      document.paths[path].post.responses[status].content['application/problem+json'].schema.allOf[1].properties.code.enum;
    const final = '/contracts/{id}/handover/sign-offs';
    const partial = '/contracts/{id}/partial-handovers/{handoverId}/sign-offs';
    expect(document.paths[partial].post.parameters.filter((parameter: Json) => parameter.in === 'path').map((p: Json) => p.name)).toEqual([
      'id',
      'handoverId',
    ]);
    expect(document.paths[final].post.parameters.map((parameter: Json) => parameter.name)).not.toContain('handoverId');
    expect(codes(final, '409')).toEqual(
      expect.arrayContaining(['handover.not_started', 'handover.partial_open', 'handover.items_disputed']),
    );
    expect(codes(partial, '409')).not.toContain('handover.partial_open');
    expect(codes(partial, '404')).toContain('handover.not_found');
    expect(codes(final, '404')).not.toContain('handover.not_found');
    expect(codes('/contracts/{id}/handover/items/{itemId}/waiver', '422')).toContain('handover.not_waivable');
    expect(codes('/contracts/{id}/partial-handovers/{handoverId}/items/{itemId}/waiver', '422')).not.toContain('handover.not_waivable');
  });

  it('names operations as clients generated from it know them: one family per group of routes', async () => {
    const document: Json = (await api.call('GET', '/docs-json')).body;
    const ids = operations(document).map(([method, path, operation]) => [`${method} ${path}`, operation.operationId as string]);
    const families = [...new Set(ids.map(([, id]) => id.split('_')[0]))].sort();
    expect(families).toEqual(['AuditController', 'ContractsController', 'HealthController', 'KeysController', 'LedgerController']);
    expect(Object.fromEntries(ids)).toMatchObject({
      'post /contracts': 'ContractsController_draft',
      'get /contracts/{id}': 'ContractsController_get',
      'get /contracts/{id}/handover/stream': 'ContractsController_streamHandover',
      'post /contracts/{id}/sales-reports': 'LedgerController_reportSales',
      'get /ledger/receivables': 'LedgerController_receivables',
    });
  });

  it('serves Swagger UI at /docs from the installed package', async () => {
    const page = await api.call('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect((await api.call('GET', '/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
  });

  describe('is exact enough to generate requests from', () => {
    let document: Json;
    beforeAll(async () => {
      document = (await api.call('GET', '/docs-json')).body;
    });

    it('describes every parameter of every operation, its success with a schema, and the problems it can answer with their codes', () => {
      const gaps: string[] = [];
      for (const [method, path, operation] of operations(document)) {
        const where = `${method} ${path}`;
        const parameters = operation.parameters as Json[];
        for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
          if (!parameters.some((parameter) => parameter.in === 'path' && parameter.name === name && parameter.required))
            gaps.push(`${where}: path parameter ${name}`);
        }
        gaps.push(
          ...parameters
            .filter((parameter) => !parameter.schema?.type)
            .map((parameter) => `${where}: ${parameter.in} ${parameter.name} has no schema`),
        );
        const statuses = Object.keys(operation.responses);
        const successes = statuses.filter((status) => status.startsWith('2'));
        if (
          successes.length !== 1 ||
          !Object.values(operation.responses[successes[0]].content ?? {}).every((media: Json) => media.schema)
        ) {
          gaps.push(`${where}: one success with a schema`);
        }
        if (!path.startsWith('/health') && !['401', '429', '503'].every((status) => statuses.includes(status)))
          gaps.push(`${where}: 401, 429, 503`);
        for (const status of statuses.filter((candidate) => /^[45]/.test(candidate) && !path.startsWith('/health'))) {
          const codes = operation.responses[status].content['application/problem+json'].schema.allOf[1].properties.code.enum;
          if (codes.length === 0) gaps.push(`${where}: ${status} without codes`);
        }
      }
      expect(gaps).toEqual([]);
    });

    it('gives every date a format, every text a length or a pattern, every integer its bounds, every object no room for unknown fields', () => {
      const gaps = reachable(document, requestRoots(document)).flatMap(([name, schema]): string[] => {
        const where = `${name ?? '(body)'}: ${JSON.stringify(schema).slice(0, 80)}`;
        if (/(On|At|Date)$|^asOf$/.test(name ?? '') && schema.type === 'string' && !['date', 'date-time'].includes(schema.format))
          return [`${where} has no date format`];
        if (schema.type === 'string' && !schema.enum && !schema.format && !(schema.maxLength && schema.minLength) && !schema.pattern)
          return [`${where} is unbounded`];
        if (schema.type === 'integer' && schema.minimum === undefined) return [`${where} has no minimum`];
        if (schema.type === 'number') return [`${where} is not an integer`];
        if (schema.type === 'object' && schema.properties && schema.additionalProperties !== false)
          return [`${where} allows unknown fields`];
        return [];
      });
      expect(gaps).toEqual([]);
    });

    it('pins the discriminator of every member of every union to its own value, in a oneOf with a mapping', () => {
      const unions = reachable(document, requestRoots(document)).filter(([, schema]) => schema.discriminator);
      expect(unions.length).toBeGreaterThanOrEqual(3);
      const gaps = unions.flatMap(([, union]) => {
        const property = union.discriminator.propertyName;
        const mapping = Object.entries(union.discriminator.mapping as Record<string, string>);
        const oneOf = (union.oneOf as Json[]).map((member) => member.$ref).sort();
        const sameMembers =
          JSON.stringify(oneOf) === JSON.stringify(mapping.map(([, $ref]) => $ref).sort()) ? [] : [`${property}: oneOf and mapping differ`];
        return [
          ...sameMembers,
          ...mapping.flatMap(([value, $ref]) => {
            const member = resolve(document, { $ref });
            const pinned = JSON.stringify(member.properties[property].enum) === JSON.stringify([value]);
            return pinned && member.required.includes(property) && member.additionalProperties === false
              ? []
              : [`${$ref} does not pin ${property} to ${value}`];
          }),
        ];
      });
      expect(gaps).toEqual([]);
    });

    it('gives examples that are valid against their own schemas', () => {
      const check = schemaChecker(document);
      const examples = operations(document).filter(([, , operation]) => operation.requestBody?.content['application/json'].example);
      expect(examples.length).toBeGreaterThanOrEqual(12);
      const invalid = examples.flatMap(([method, path, operation]) =>
        check(
          ['paths', path, method, 'requestBody', 'content', 'application/json', 'schema'],
          operation.requestBody.content['application/json'].example,
        ).map((error) => `${method} ${path}: ${error.instancePath} ${error.message}`),
      );
      expect(invalid).toEqual([]);
    });
  });
});
