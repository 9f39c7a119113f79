import { authorization, refusalOf, type Refusal } from './api';

/** One Server-Sent Event: its name (`message` when unnamed) and its data lines joined. */
export interface ServerEvent {
  readonly event: string;
  readonly data: string;
}

export type LiveState = 'connecting' | 'live' | 'reconnecting' | Refusal;

/** Retries after a dropped stream wait this long, doubling up to the cap. */
const FIRST_RETRY_MS = 500;
const LONGEST_RETRY_MS = 15_000;

/** Splits a chunk of an event stream into the events it completes; the rest waits for the next chunk. */
export function parseEvents(buffer: string): { events: ServerEvent[]; rest: string } {
  const blocks = buffer.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  const events = blocks.flatMap((block): ServerEvent[] => {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      const [, field, value = ''] = /^([^:]*)(?::\s?(.*))?$/.exec(line) ?? [];
      if (field === 'event') event = value;
      if (field === 'data') data.push(value);
    }
    return data.length > 0 ? [{ event, data: data.join('\n') }] : [];
  });
  return { events, rest };
}

/**
 * Follows an event stream of the API. EventSource cannot send the
 * Authorization header (and the key must not go in the URL), so the stream is
 * read with fetch, and reconnected with a growing wait when it drops. A
 * refusal (401, 404 ...) stops it: retrying would be refused the same way.
 * Answers the function that stops it.
 */
export function follow(path: string, onEvent: (event: ServerEvent) => void, onState: (state: LiveState) => void): () => void {
  const abort = new AbortController();
  void (async () => {
    let retryMs = FIRST_RETRY_MS;
    while (!abort.signal.aborted) {
      try {
        const response = await fetch(path, { headers: { ...authorization(), accept: 'text/event-stream' }, signal: abort.signal });
        if (response.status >= 400 && response.status < 500) return onState(await refusalOf(response));
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        onState('live');
        retryMs = FIRST_RETRY_MS;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
          const { events, rest } = parseEvents(buffer + chunk.value);
          buffer = rest;
          events.forEach(onEvent);
        }
      } catch {
        // A dropped connection or an aborted one: the loop decides which.
      }
      if (abort.signal.aborted) return;
      onState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, retryMs));
      retryMs = Math.min(retryMs * 2, LONGEST_RETRY_MS);
    }
  })();
  return () => abort.abort();
}
