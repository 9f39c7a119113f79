// Declarations for the two untyped entry points the OpenAPI document and the validation pipe's fast path use.

declare module 'class-transformer/cjs/storage' {
  import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
  /** Where @Type() records nested and discriminated types: what class-validator-jsonschema reads. */
  export const defaultMetadataStorage: MetadataStorage;
}

declare module 'swagger-ui-dist' {
  /** The folder of Swagger UI's built assets. */
  export function getAbsoluteFSPath(): string;
}
