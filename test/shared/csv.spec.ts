import { csvCell, csvDocument } from '../../src/shared/csv';

describe('CSV for spreadsheets', () => {
  it('starts with the UTF-8 byte order mark, ends every record with CRLF, and keeps Chinese text as it is', () => {
    const document = csvDocument(
      ['月份 Month', '金额(元) Amount (yuan)'],
      [
        ['2027-01', '30000.00'],
        ['合计 Total', 0],
      ],
    );
    expect(document).toBe('\uFEFF月份 Month,金额(元) Amount (yuan)\r\n2027-01,30000.00\r\n合计 Total,0\r\n');
    expect(Buffer.from(document, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('quotes a cell holding a comma, a quote or a line break, doubling its quotes (RFC 4180)', () => {
    expect(csvCell('飞跃,旗舰店')).toBe('"飞跃,旗舰店"');
    expect(csvCell('the "best" shop')).toBe('"the ""best"" shop"');
    expect(csvCell('line one\nline two')).toBe('"line one\nline two"');
    expect(csvCell('carriage\rreturn')).toBe('"carriage\rreturn"');
    expect(csvCell('plain text 店铺')).toBe('plain text 店铺');
    expect(csvDocument(['a', 'b'], [['x,y', '"']])).toBe('\uFEFFa,b\r\n"x,y",""""\r\n');
  });

  it.each([
    ['=HYPERLINK("http://evil.example","点击")', `"'=HYPERLINK(""http://evil.example"",""点击"")"`],
    ['+1+cmd|calc', "'+1+cmd|calc"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
  ])('guards %j, which a spreadsheet would run as a formula', (cell, written) => {
    expect(csvCell(cell)).toBe(written);
  });

  it('leaves plain numbers alone, negative ones included, and text with a formula sign inside', () => {
    expect(csvCell('-12.50')).toBe('-12.50');
    expect(csvCell('-7')).toBe('-7');
    expect(csvCell(-7)).toBe('-7');
    expect(csvCell(1_000_000_000_000)).toBe('1000000000000');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('')).toBe('');
  });

  it('refuses a number that is not one', () => {
    expect(() => csvCell(Number.NaN)).toThrow(TypeError);
    expect(() => csvCell(Number.POSITIVE_INFINITY)).toThrow(TypeError);
  });
});
