import { EVENT_DATA, SCHEMA_VERSIONS, type ContractEventType } from './events';

/**
 * Stored events are never rewritten, so an event recorded in an older shape
 * is read through upcasters: each takes the data of one version of its type
 * to the next, and they are chained until the current version
 * (`SCHEMA_VERSIONS`). They run before the schema check, which then judges the
 * data in the current shape. Data is whatever was stored: an upcaster leaves
 * what it does not recognise alone for that check to name.
 */
type Upcaster = (data: unknown) => unknown;

/** For each event type, the step from version n (the key) to n + 1. */
export const UPCASTERS: { readonly [Type in ContractEventType]?: { readonly [fromVersion: number]: Upcaster } } = {
  ContractDrafted: {
    // Version 1 had no notice period: keyDates read 90 days into every contract then.
    1: (data) => (isObject(data) && isObject(data.terms) ? { ...data, terms: { ...data.terms, noticePeriodDays: 90 } } : data),
    // Version 2 had no cure or handover period and no stipulated conditions: read with the 30-day defaults of then, and none.
    2: (data) =>
      isObject(data) && isObject(data.terms)
        ? { ...data, terms: { ...data.terms, curePeriodDays: 30, handoverPeriodDays: 30, terminationConditions: [] } }
        : data,
  },
  BreachRecorded: {
    // Version 1 was a breach recorded and acted on the same day: a notice whose cure period ended the day it was served.
    1: (data) => {
      if (!isObject(data)) return data;
      const { occurredOn, ...breach } = data;
      return { ...breach, incidentIds: [], noticedOn: occurredOn, cureDeadline: occurredOn };
    },
  },
  BreachCured: {
    // Version 1 was the cure as the party that suffered the breach recorded it: accepted that day.
    1: (data) => (isObject(data) ? { ...data, acceptedOn: data.curedOn } : data),
  },
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The data of a stored event in its type's current shape, or why it cannot
 * be read: a version that is not a whole number from 1, or one newer than
 * this service knows (written by a later release). A missing version counts
 * as 1, the version of every event before versions were stamped.
 */
export function upcast(type: string, data: unknown, schemaVersion: unknown = 1): { data: unknown } | { problem: string } {
  // An unknown type is left to the schema check, which names it.
  if (!Object.hasOwn(EVENT_DATA, type)) return { data };
  const current = SCHEMA_VERSIONS[type as ContractEventType];
  if (typeof schemaVersion !== 'number' || !Number.isInteger(schemaVersion) || schemaVersion < 1) {
    return { problem: `${type} schemaVersion ${JSON.stringify(schemaVersion)} is not a version (a whole number from 1)` };
  }
  if (schemaVersion > current) {
    return {
      problem: `${type} schemaVersion ${schemaVersion} is newer than this service reads (${current}): it was written by a later release`,
    };
  }
  let upcasted = data;
  for (let version = schemaVersion; version < current; version += 1) {
    const step = UPCASTERS[type as ContractEventType]?.[version];
    if (!step) return { problem: `${type} has no upcaster from schemaVersion ${version}` };
    upcasted = step(upcasted);
  }
  return { data: upcasted };
}
