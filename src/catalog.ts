import { apiKeysStreamSchema } from './auth/api-keys';
import { contractStreamSchema } from './contracts/application/contract-stream';
import { CONTRACT_PROJECTIONS } from './contracts/read-side/projections';
import type { StreamSchema } from './event-store/schema-gate';
import type { Projection } from './projections/projection';

/**
 * What the service is made of, named in one place for the composition roots
 * (the app module and the command lines): a feature adds its streams and
 * read models here, and the engines below stay unaware of features.
 */

/** Every stream category the service writes, each with the schema its events must match to be appended. */
export const STREAM_SCHEMAS: readonly StreamSchema[] = [contractStreamSchema, apiKeysStreamSchema];

/** Every read model the projection runner keeps current. */
export const PROJECTIONS: readonly Projection[] = [...CONTRACT_PROJECTIONS];
