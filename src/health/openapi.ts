import type { SchemaObject } from '@nestjs/swagger';
import { json, object, oneOfValues, type Answer, type OpenApiContribution } from '../http/openapi-parts';

const part: SchemaObject = { type: 'object', additionalProperties: object({ status: oneOfValues(['up', 'down']) }) };
const HEALTHY: Answer = { status: 200, description: 'Terminus report: `status: ok`', content: json('HealthReport') };
const UNHEALTHY: Answer = {
  status: 503,
  description: 'Terminus report: `status: error`, with what is down',
  content: json('HealthReport'),
};

/** The health routes in the OpenAPI document: public, answering in Terminus's format, not with problems. */
export const healthOpenApi: OpenApiContribution = {
  schemas: () => ({ HealthReport: object({ status: oneOfValues(['ok', 'error']), info: part, error: part, details: part }) }),
  operations: {
    HealthController_live: { answers: [HEALTHY], problems: {}, public: true },
    HealthController_ready: { answers: [HEALTHY, UNHEALTHY], problems: {}, public: true },
  },
};
