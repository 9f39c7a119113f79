import { EventStoreDecorator } from './event-store-decorator';
import { type EventStore, MalformedEventError, type AppendResult, type EventData, type ExpectedRevision } from './event-store.port';

/** What the streams of one category may hold. */
export interface StreamSchema {
  /** The stream name before its first dash (`contract` for `contract-<id>`), or the whole name. */
  readonly category: string;
  /** Why the event may not be stored in such a stream; undefined when it matches its type's schema. */
  problemWith(event: EventData): string | undefined;
}

export function categoryOf(stream: string): string {
  const dash = stream.indexOf('-');
  return dash < 0 ? stream : stream.slice(0, dash);
}

/**
 * The append path's defence: an append is refused whole, before it reaches
 * the adapter, unless every event matches its stream category's schema. The
 * log cannot be repaired, so nothing malformed may enter it, whoever calls:
 * a command handler with a bug, a command-line tool or a test of the app.
 * Reads pass through untouched.
 */
export class SchemaGatedEventStore extends EventStoreDecorator {
  private readonly schemas: ReadonlyMap<string, StreamSchema>;

  constructor(inner: EventStore, schemas: readonly StreamSchema[]) {
    super(inner);
    this.schemas = new Map(schemas.map((schema) => [schema.category, schema]));
  }

  async appendToStream(stream: string, events: readonly EventData[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    const schema = this.schemas.get(categoryOf(stream));
    for (const event of events) {
      const problem = schema ? schema.problemWith(event) : `no schema is known for the streams of category "${categoryOf(stream)}"`;
      if (problem !== undefined) throw new MalformedEventError(stream, undefined, problem);
    }
    return this.inner.appendToStream(stream, events, expectedRevision);
  }
}
