/**
 * A folded state stored as a head and parts, so that writing it again costs
 * what changed, not what it holds. The collections that grow with a history
 * (a contract's accounts, its handover items) are each stored one element a
 * row; the head is the rest, with those collections left empty. Which
 * elements changed is told by identity: a fold copies only what an event
 * changes, so an element that is the same object as the one written before
 * is unchanged and is not serialized or written again.
 */
export interface Part {
  /** The collection's path in the document, dotted (`handover.items`). */
  readonly collection: string;
  /** The element's place in the collection. */
  readonly ord: number;
  /** JSON: the element, or for a record the `[key, value]` entry. */
  readonly value: string;
}

export interface PartChanges {
  readonly written: Part[];
  /** Per collection, where its elements now end: the rows from there on are to be deleted. */
  readonly endsAt: { readonly collection: string; readonly from: number }[];
}

type Json = Record<string, unknown>;
type Collection = readonly unknown[] | Json;

export class DocumentParts {
  private readonly paths: readonly (readonly string[])[];

  /** `collections`: dotted paths to arrays or records (string-keyed objects); one whose parent is absent is empty. */
  constructor(private readonly collections: readonly string[]) {
    this.paths = collections.map((collection) => collection.split('.'));
  }

  /** The document without its collections' elements, as JSON. */
  head(document: object): string {
    let head = document as Json;
    for (const path of this.paths) head = emptied(head, path);
    return JSON.stringify(head);
  }

  /** The parts to write so that rows holding `before` hold `after` (all of them when `before` is undefined: the rows hold none). */
  changes(before: object | undefined, after: object): PartChanges {
    const written: Part[] = [];
    const endsAt: PartChanges['endsAt'] = [];
    this.paths.forEach((path, index) => {
      const collection = this.collections[index];
      const old = before === undefined ? undefined : elementsOf(at(before, path));
      const now = at(after, path);
      if (old && now === at(before!, path)) return;
      const elements = elementsOf(now);
      elements.forEach((element, ord) => {
        if (old && same(old[ord], element)) return;
        written.push({ collection, ord, value: JSON.stringify(element) });
      });
      if (old && old.length > elements.length) endsAt.push({ collection, from: elements.length });
    });
    return { written, endsAt };
  }

  /** The document again from its head and all its parts (in collection, then ord order). */
  assemble(head: string, parts: Iterable<Pick<Part, 'collection' | 'ord' | 'value'>>): object {
    const document = JSON.parse(head) as Json;
    for (const { collection, value } of parts) {
      const target = at(document, collection.split('.'));
      if (Array.isArray(target)) target.push(JSON.parse(value));
      else if (target && typeof target === 'object') {
        const [key, element] = JSON.parse(value) as [string, unknown];
        (target as Json)[key] = element;
      } else throw new Error(`A part of ${collection}, which the stored head does not hold`);
    }
    return document;
  }
}

function at(document: object, path: readonly string[]): Collection | undefined {
  let value: unknown = document;
  for (const key of path) value = value && typeof value === 'object' ? (value as Json)[key] : undefined;
  return value as Collection | undefined;
}

/** An array's elements, or a record's entries (compared by key and value). */
function elementsOf(collection: Collection | undefined): readonly unknown[] {
  if (collection === undefined) return [];
  return Array.isArray(collection) ? collection : Object.entries(collection);
}

function same(old: unknown, now: unknown): boolean {
  if (old === now) return true;
  // Entries are new arrays each time: the same entry has the same key and the same value object.
  return Array.isArray(old) && Array.isArray(now) && old.length === 2 && now.length === 2 && old[0] === now[0] && old[1] === now[1];
}

/** A copy of `document` with the collection at `path` empty; the same object when the path is absent. */
function emptied(document: Json, path: readonly string[]): Json {
  const [key, ...rest] = path;
  const value = document[key];
  if (value === undefined || value === null || typeof value !== 'object') return document;
  if (rest.length === 0) return { ...document, [key]: Array.isArray(value) ? [] : {} };
  return { ...document, [key]: emptied(value as Json, rest) };
}
