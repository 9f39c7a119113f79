import { startTestApp, type TestApi } from '../support/http-client';
import { MATRIX } from '../support/route-catalog';

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
    expect(draft.responses['409'].content['application/problem+json'].schema.allOf[0]).toEqual({ $ref: '#/components/schemas/ProblemDetails' });
    expect(document.paths['/health/ready'].get.security).toEqual([]);
    const evidence = document.components.schemas.CompletionDto.properties.evidence;
    expect(evidence.discriminator.mapping.credential_handover).toBe('#/components/schemas/CredentialHandoverEvidence');
    expect(evidence.oneOf).toHaveLength(7);
    expect(document.components.schemas.CredentialHandoverEvidence.required).toEqual(expect.arrayContaining(['rotatedBy', 'receivedBy', 'kind']));
    expect(document.components.schemas.AmendmentDto.properties.changes.items.discriminator.mapping.remove_scope).toBe('#/components/schemas/RemoveScopeChange');
  });

  it('serves Swagger UI at /docs from the installed package', async () => {
    const page = await api.call('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect((await api.call('GET', '/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
  });
});
