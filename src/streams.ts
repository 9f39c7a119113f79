import { apiKeysStreamSchema } from './auth/api-keys';
import { contractStreamSchema } from './contracts/application/contract-stream';
import type { StreamSchema } from './event-store/schema-gate';

/** Every stream category the service writes, each with the schema its events must match to be appended. */
export const STREAM_SCHEMAS: readonly StreamSchema[] = [contractStreamSchema, apiKeysStreamSchema];
