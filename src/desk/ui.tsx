import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Refusal } from './api';

/** Loads what a screen shows, again whenever `deps` change; a refusal is kept to be shown. */
export function useLoad<Value>(load: () => Promise<Value>, deps: readonly unknown[]) {
  const [state, setState] = useState<{ value?: Value; refusal?: Refusal; loading: boolean }>({ loading: true });
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (value) => current && setState({ value, loading: false }),
      (error: unknown) => current && setState({ refusal: asRefusal(error), loading: false }),
    );
    return () => void (current = false);
    // The caller names what the load depends on.
  }, deps);
  return state;
}

export const asRefusal = (error: unknown) =>
  error instanceof Refusal ? error : new Refusal(0, 'desk.error', error instanceof Error ? error.message : String(error));

/** The API's refusal in plain words: what kind of no, the API's own sentence, and each field's problem. */
export function Problem({ refusal }: { refusal?: Refusal }) {
  if (!refusal) return null;
  return (
    <div class="problem" role="alert">
      <p>
        <strong>{refusal.headline}</strong> {refusal.detail}
      </p>
      {refusal.fields.length > 0 && (
        <ul>
          {refusal.fields.map(({ field, problems }) => (
            <li key={field}>{problems.join('; ')}</li>
          ))}
        </ul>
      )}
      <p class="code">Reference: {refusal.code}</p>
    </div>
  );
}

export const Loading = ({ what }: { what: string }) => (
  <p class="loading" role="status">
    Loading {what}…
  </p>
);

/** A screen's heading, focused when the screen opens so keyboard and screen-reader users start there. */
export function Heading({ children, level = 1 }: { children: ComponentChildren; level?: 1 | 2 }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Once, when the screen opens: not on every render, which would pull the focus out of a field being typed in.
  useEffect(() => heading.current?.focus(), []);
  const Tag = level === 1 ? 'h1' : 'h2';
  return (
    <Tag tabIndex={-1} ref={heading}>
      {children}
    </Tag>
  );
}

/** A calendar date, kept on one line in a narrow table cell. */
export const Day = ({ date }: { date: string }) => <time dateTime={date}>{date}</time>;

/** Money in fen, shown in yuan. */
export const yuan = (fen: number) => `¥${(fen / 100).toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** `ContractSigned`, `credential_handover` -> `Contract signed`, `Credential handover`. */
export function words(name: string): string {
  const spaced = name
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** A list of labelled values, skipping those that are not there. */
export function Facts({ facts }: { facts: ReadonlyArray<[string, ComponentChildren]> }) {
  return (
    <dl class="facts">
      {facts
        .filter(([, value]) => value !== undefined && value !== null && value !== '')
        .map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}

/** A table with a caption, or a sentence when there is nothing to list. */
export function Table<Row>({
  caption,
  rows,
  columns,
  empty,
}: {
  caption: string;
  rows: readonly Row[];
  columns: ReadonlyArray<[string, (row: Row) => ComponentChildren]>;
  empty: string;
}) {
  if (rows.length === 0) return <p>{empty}</p>;
  return (
    <Scroll label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map(([label]) => (
              <th key={label} scope="col">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index}>
              {columns.map(([label, cell]) => (
                <td key={label}>{cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

/** A table that may be wider than a phone: it scrolls sideways, and takes the focus so that a keyboard can scroll it. */
export const Scroll = ({ label, children }: { label: string; children: ComponentChildren }) => (
  <div class="scroll" tabIndex={0} role="region" aria-label={label}>
    {children}
  </div>
);

/** A status as a badge whose colour says what it means; the word says it too. */
export const Badge = ({ status }: { status: string }) => <span class={`badge badge-${status}`}>{words(status)}</span>;
