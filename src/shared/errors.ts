/** The message of anything thrown, for wrapping it in an error of our own. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Ends every `switch` over a discriminated union: adding a case without handling it fails to compile. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value ${JSON.stringify(value)}`);
}
