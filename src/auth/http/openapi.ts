import type { SchemaObject } from '@nestjs/swagger';
import { arrayOf, boolean, instant, json, object, oneOfValues, text, type OpenApiContribution } from '../../http/openapi-parts';
import { AUTHENTICATED, BODY, merge, PARSED, ROLE_GATED } from '../../http/openapi-problems';
import { ROLES } from '../../shared/identity';

const keyId: SchemaObject = { type: 'string', pattern: '^[0-9a-f]{16}$' };
const keyFields = { keyId, role: oneOfValues(ROLES), label: text, issuedAt: instant, issuedBy: text };

/** The admin key routes in the OpenAPI document. */
export const keysOpenApi: OpenApiContribution = {
  schemas: () => ({
    IssuedKey: object({ key: { type: 'string', pattern: '^chk_' }, ...keyFields }, { partyId: text }),
    KeyList: object({ keys: arrayOf(object(keyFields, { partyId: text, revokedAt: instant, revokedBy: text })) }),
    RevokedKey: object({ keyId, revoked: boolean }),
    Principal: object({ keyId, role: oneOfValues(ROLES) }, { partyId: text }),
  }),
  operations: {
    KeysController_issue: {
      answers: [{ status: 201, description: 'The new key: `key` is shown this once', content: json('IssuedKey') }],
      problems: merge(AUTHENTICATED, ROLE_GATED, BODY, { 400: ['keys.invalid_request'] }),
      example: { role: 'brand', partyId: 'brand-feiyue', label: 'Feiyue e-commerce team' },
    },
    KeysController_list: {
      answers: [{ status: 200, description: 'Every key, without secrets', content: json('KeyList') }],
      problems: merge(AUTHENTICATED, ROLE_GATED),
    },
    KeysController_whoami: {
      answers: [
        {
          status: 200,
          description: "The key's own principal: its role and, for a brand or operator, its party",
          content: json('Principal'),
        },
      ],
      problems: merge(AUTHENTICATED, PARSED),
    },
    KeysController_revoke: {
      answers: [{ status: 200, description: 'Revoked at once', content: json('RevokedKey') }],
      problems: merge(AUTHENTICATED, PARSED, ROLE_GATED, { 404: ['keys.not_found'] }),
    },
  },
};
