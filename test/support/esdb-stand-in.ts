import * as grpc from '@grpc/grpc-js';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { AppendReq, AppendResp, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { planAppend, type StreamHead } from '../../src/event-store/append-rules';
import type { ExpectedRevision } from '../../src/event-store/event-store.port';

/**
 * An in-process stand-in for an EventStoreDB node, so that tests exercise the
 * real `@eventstore/db-client` (its gRPC calls, serialisation and error
 * mapping) where no server can run. It serves the service definitions the
 * client package ships and implements `Streams.Append` and `Streams.Read`
 * (stream reads, `$all` reads, subscriptions to `$all` with filters) with
 * EventStoreDB's semantics. Everything else, `ServerFeatures` included,
 * answers UNIMPLEMENTED, which the client tolerates by using `Append`.
 *
 * Like a real node, its `$all` holds system events (`$`-prefixed types and
 * streams) between user events, and positions are log offsets, not counters.
 */

interface StoredEvent {
  readonly stream: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, as the server sends them. */
  readonly created: bigint;
  readonly position: bigint;
}

type Filter = (event: StoredEvent) => boolean;

const { ReadDirection } = ReadReq.Options;
const RevisionCase = AppendReq.Options.ExpectedStreamRevisionCase;
const TICKS_PER_MILLISECOND = 10_000n;

export class EsdbStandIn {
  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly liveSubscriptions = new Set<() => void>();
  private nextPosition = 0n;

  private constructor(
    private readonly server: grpc.Server,
    readonly port: number,
  ) {}

  static async start(): Promise<EsdbStandIn> {
    const server = new grpc.Server();
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    const standIn = new EsdbStandIn(server, port);
    server.addService(StreamsService, {
      append: standIn.append,
      read: standIn.read,
    });
    standIn.recordSystemEvent('$settings', '$settings');
    return standIn;
  }

  get connectionString(): string {
    return `esdb://127.0.0.1:${this.port}?tls=false`;
  }

  /** Writes an event of the server's own, as a real node does now and then ($stats, $metadata ...). */
  recordSystemEvent(stream: string, type: string): void {
    this.record(stream, [
      { id: crypto.randomUUID(), type, contentType: 'application/json', data: Buffer.from('{}'), customMetadata: new Uint8Array() },
    ]);
  }

  async stop(): Promise<void> {
    this.server.forceShutdown();
  }

  private readonly append = (call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>): void => {
    let options: AppendReq.Options | undefined;
    const proposed: AppendReq.ProposedMessage[] = [];
    call.on('data', (request: AppendReq) => {
      if (request.hasOptions()) options = request.getOptions();
      else proposed.push(request.getProposedMessage()!);
    });
    call.on('end', () => {
      if (options === undefined) {
        callback({ code: grpc.status.INVALID_ARGUMENT, details: 'append without options' });
        return;
      }
      callback(null, this.appendProposed(options, proposed));
    });
  };

  private appendProposed(options: AppendReq.Options, proposed: readonly AppendReq.ProposedMessage[]): AppendResp {
    const stream = streamName(options.getStreamIdentifier());
    const expected = expectedRevisionOf(options);
    const messages = proposed.map((message) => ({
      id: message.getId()!.getString(),
      type: message.getMetadataMap().get('type') ?? '',
      contentType: message.getMetadataMap().get('content-type') ?? 'application/octet-stream',
      data: message.getData_asU8(),
      customMetadata: message.getCustomMetadata_asU8(),
    }));
    const plan = planAppend(
      expected,
      messages.map((message) => message.id),
      this.headOf(stream),
    );
    const response = new AppendResp();

    if (plan.outcome === 'conflict') {
      const wrong = new AppendResp.WrongExpectedVersion();
      if (plan.actual === 'no_stream') wrong.setCurrentNoStream(new Empty());
      else wrong.setCurrentRevision(plan.actual.toString());
      if (expected === 'any') wrong.setExpectedAny(new Empty());
      else if (expected === 'no_stream') wrong.setExpectedNoStream(new Empty());
      else if (expected === 'stream_exists') wrong.setExpectedStreamExists(new Empty());
      else wrong.setExpectedRevision(expected.toString());
      return response.setWrongExpectedVersion(wrong);
    }

    const last = plan.outcome === 'write' ? this.record(stream, messages) : this.streams.get(stream)![Number(plan.lastRevision)];
    const position = new AppendResp.Position();
    position.setCommitPosition(last.position.toString());
    position.setPreparePosition(last.position.toString());
    const success = new AppendResp.Success();
    success.setCurrentRevision(last.revision.toString());
    success.setPosition(position);
    return response.setSuccess(success);
  }

  private headOf(stream: string): StreamHead {
    const events = this.streams.get(stream) ?? [];
    return {
      current: events.length === 0 ? 'no_stream' : BigInt(events.length - 1),
      revisionOf: (id) => events.find((event) => event.id === id)?.revision,
      idsFrom: (revision, count) => events.slice(Number(revision), Number(revision) + count).map((event) => event.id),
    };
  }

  /** Appends to the log; returns the last event written. */
  private record(stream: string, messages: ReadonlyArray<Omit<StoredEvent, 'stream' | 'revision' | 'created' | 'position'>>): StoredEvent {
    const events = this.streams.get(stream) ?? [];
    this.streams.set(stream, events);
    const created = BigInt(Date.now()) * TICKS_PER_MILLISECOND;
    for (const message of messages) {
      const event: StoredEvent = { ...message, stream, revision: BigInt(events.length), created, position: this.nextPosition };
      // Like a real log, positions are byte offsets: they grow by each record's size.
      this.nextPosition += 128n + BigInt(message.data.length + message.customMetadata.length);
      events.push(event);
      this.log.push(event);
    }
    for (const wake of this.liveSubscriptions) wake();
    return events[events.length - 1];
  }

  private readonly read = (call: grpc.ServerWritableStream<ReadReq, ReadResp>): void => {
    const options = call.request.getOptions()!;
    if (options.hasSubscription()) {
      this.subscribe(call, options);
      return;
    }
    const count = Number(options.getCount());
    const backwards = options.getReadDirection() === ReadDirection.BACKWARDS;
    if (options.hasStream()) {
      const streamOptions = options.getStream()!;
      const stream = streamName(streamOptions.getStreamIdentifier());
      const events = this.streams.get(stream);
      if (events === undefined) {
        const notFound = new ReadResp.StreamNotFound();
        notFound.setStreamIdentifier(streamOptions.getStreamIdentifier());
        call.write(new ReadResp().setStreamNotFound(notFound));
      } else {
        const end = BigInt(backwards ? events.length - 1 : events.length);
        const from = streamOptions.hasRevision() ? BigInt(streamOptions.getRevision()) : streamOptions.hasEnd() ? end : 0n;
        const selected = backwards
          ? events.filter((event) => event.revision <= from).reverse()
          : events.filter((event) => event.revision >= from);
        selected.slice(0, count).forEach((event) => call.write(readResponse(event)));
      }
    } else {
      const allOptions = options.getAll()!;
      const from = allOptions.hasPosition()
        ? BigInt(allOptions.getPosition()!.getCommitPosition())
        : allOptions.hasEnd()
          ? this.nextPosition
          : 0n;
      // $all reads include `from` going forwards and stop before it going backwards.
      const selected = backwards
        ? this.log.filter((event) => event.position < from).reverse()
        : this.log.filter((event) => event.position >= from);
      selected.slice(0, count).forEach((event) => call.write(readResponse(event)));
    }
    call.end();
  };

  /** A catch-up subscription to `$all`: confirmation, history after the start, caught-up, then live events. */
  private subscribe(call: grpc.ServerWritableStream<ReadReq, ReadResp>, options: ReadReq.Options): void {
    const allOptions = options.getAll();
    if (allOptions === undefined) {
      call.destroy(Object.assign(new Error('only $all subscriptions are served'), { code: grpc.status.UNIMPLEMENTED }));
      return;
    }
    const matches = filterOf(options);
    const after = allOptions.hasPosition() ? BigInt(allOptions.getPosition()!.getCommitPosition()) : undefined;
    let next = allOptions.hasEnd() ? this.log.length : after === undefined ? 0 : this.log.findIndex((event) => event.position > after);
    if (next === -1) next = this.log.length;

    const confirmation = new ReadResp.SubscriptionConfirmation();
    confirmation.setSubscriptionId(crypto.randomUUID());
    call.write(new ReadResp().setConfirmation(confirmation));

    const wake = (): void => {
      for (; next < this.log.length; next += 1) {
        if (matches(this.log[next])) call.write(readResponse(this.log[next]));
      }
    };
    wake();
    call.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
    this.liveSubscriptions.add(wake);
    call.on('cancelled', () => this.liveSubscriptions.delete(wake));
    call.on('close', () => this.liveSubscriptions.delete(wake));
  }
}

function streamName(identifier: StreamIdentifier | undefined): string {
  return Buffer.from(identifier!.getStreamName_asU8()).toString('utf8');
}

function expectedRevisionOf(options: AppendReq.Options): ExpectedRevision {
  switch (options.getExpectedStreamRevisionCase()) {
    case RevisionCase.REVISION:
      return BigInt(options.getRevision());
    case RevisionCase.NO_STREAM:
      return 'no_stream';
    case RevisionCase.STREAM_EXISTS:
      return 'stream_exists';
    default:
      return 'any';
  }
}

function filterOf(options: ReadReq.Options): Filter {
  const filter = options.getFilter();
  if (filter === undefined) return () => true;
  const onType = filter.hasEventType();
  const expression = onType ? filter.getEventType()! : filter.getStreamIdentifier()!;
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : undefined;
  const prefixes = expression.getPrefixList();
  return (event) => {
    const subject = onType ? event.type : event.stream;
    return regex ? regex.test(subject) : prefixes.some((prefix) => subject.startsWith(prefix));
  };
}

function readResponse(event: StoredEvent): ReadResp {
  const id = new UUID();
  id.setString(event.id);
  const identifier = new StreamIdentifier();
  identifier.setStreamName(Buffer.from(event.stream, 'utf8'));
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(id);
  recorded.setStreamIdentifier(identifier);
  recorded.setStreamRevision(event.revision.toString());
  recorded.setCommitPosition(event.position.toString());
  recorded.setPreparePosition(event.position.toString());
  recorded.getMetadataMap().set('type', event.type);
  recorded.getMetadataMap().set('content-type', event.contentType);
  recorded.getMetadataMap().set('created', event.created.toString());
  recorded.setData(event.data);
  recorded.setCustomMetadata(event.customMetadata);
  const readEvent = new ReadResp.ReadEvent();
  readEvent.setEvent(recorded);
  readEvent.setCommitPosition(event.position.toString());
  return new ReadResp().setEvent(readEvent);
}
