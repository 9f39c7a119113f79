import { DocumentParts, type Part } from '../../src/projections/document-parts';

/** Rows as a table would hold them after writing `changes` over `rows`. */
function written(rows: Part[], changes: ReturnType<DocumentParts['changes']>): Part[] {
  const kept = rows.filter(
    (row) =>
      !changes.endsAt.some((end) => end.collection === row.collection && row.ord >= end.from) &&
      !changes.written.some((part) => part.collection === row.collection && part.ord === row.ord),
  );
  return [...kept, ...changes.written].sort((a, b) => a.collection.localeCompare(b.collection) || a.ord - b.ord);
}

describe('DocumentParts', () => {
  const parts = new DocumentParts(['accounts', 'handover.items', 'handover.completions']);
  const first = { id: 'c1', accounts: [{ name: 'a' }, { name: 'b' }], terms: { fee: 1 } };

  it('stores a document as a head without its collections plus one row an element, and assembles it again', () => {
    const document = { ...first, handover: { items: [{ itemId: 'i1' }], completions: { i1: { by: 'x' } }, signOffs: {} } };
    expect(JSON.parse(parts.head(document))).toEqual({
      id: 'c1',
      accounts: [],
      terms: { fee: 1 },
      handover: { items: [], completions: {}, signOffs: {} },
    });
    const rows = written([], parts.changes(undefined, document));
    expect(rows.map(({ collection, ord }) => `${collection}#${ord}`)).toEqual([
      'accounts#0',
      'accounts#1',
      'handover.completions#0',
      'handover.items#0',
    ]);
    expect(parts.assemble(parts.head(document), rows)).toEqual(document);
  });

  it('writes only the elements that are not the very objects written before', () => {
    const second = { ...first, accounts: [...first.accounts, { name: 'c' }] };
    expect(parts.changes(first, second)).toEqual({ written: [{ collection: 'accounts', ord: 2, value: '{"name":"c"}' }], endsAt: [] });
    const third = { ...second, accounts: second.accounts.map((account) => (account.name === 'b' ? { name: 'b2' } : account)) };
    expect(parts.changes(second, third).written).toEqual([{ collection: 'accounts', ord: 1, value: '{"name":"b2"}' }]);
    expect(parts.changes(third, { ...third, terms: { fee: 2 } })).toEqual({ written: [], endsAt: [] });
  });

  it('compares a record by its entries, and cuts a collection that shrank', () => {
    const item = { itemId: 'i1' };
    const done = { by: 'x' };
    const before = { handover: { items: [item, { itemId: 'i2' }], completions: { i1: done } } };
    const after = { handover: { items: [item], completions: { i1: done, i2: { by: 'y' } } } };
    const changes = parts.changes(before, after);
    expect(changes.written).toEqual([{ collection: 'handover.completions', ord: 1, value: '["i2",{"by":"y"}]' }]);
    expect(changes.endsAt).toEqual([{ collection: 'handover.items', from: 1 }]);
    const rows = written(written([], parts.changes(undefined, before)), changes);
    expect(parts.assemble(parts.head(after), rows)).toEqual(after);
  });

  it('refuses a part whose collection the head does not hold', () => {
    expect(() => parts.assemble('{"id":"c1"}', [{ collection: 'handover.items', ord: 0, value: '{}' }])).toThrow(/handover.items/);
  });
});
