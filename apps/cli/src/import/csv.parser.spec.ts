import { parseCsv } from './csv.parser.js';

const fieldsOf = (text: string) => parseCsv(text).map(({ fields }) => fields);

describe('parseCsv', () => {
  it('splits records on CRLF and on LF alone, with their starting lines', () => {
    expect(parseCsv('a,b\r\nc,d\ne,f')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', 'd'] },
      { line: 3, fields: ['e', 'f'] },
    ]);
  });

  it('reads quoted fields holding commas, doubled quotes and line breaks, and counts their lines', () => {
    const records = parseCsv('"a,1","say ""hi""","two\r\nlines"\nnext,row\n');
    expect(records).toEqual([
      { line: 1, fields: ['a,1', 'say "hi"', 'two\r\nlines'] },
      { line: 3, fields: ['next', 'row'] },
    ]);
  });

  it('keeps spaces and a lone CR inside a field, and empty fields', () => {
    expect(fieldsOf(' a , b\rc ,,\n')).toEqual([[' a ', ' b\rc ', '', '']]);
  });

  it('returns an empty line as a record of one empty field', () => {
    expect(parseCsv('a\n\nb\r\n\r\n')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, fields: [''] },
      { line: 3, fields: ['b'] },
      { line: 4, fields: [''] },
    ]);
  });

  it('ends a record at a CR that ends the text', () => {
    expect(fieldsOf('a,b\r')).toEqual([['a', 'b']]);
    expect(fieldsOf('a,"b"\r')).toEqual([['a', 'b']]);
  });

  it.each([
    [
      'a quote inside a plain field',
      'ab"c,d\nnext',
      'a double quote in a field not enclosed in double quotes',
    ],
    ['text after a closing quote', '"ab"c,d\nnext', 'text after the closing double quote of a field'],
  ])('refuses %s in its record only, without quoting it', (_case, text, error) => {
    const records = parseCsv(text);
    expect(records).toEqual([
      { line: 1, fields: [expect.any(String), 'd'], error },
      { line: 2, fields: ['next'] },
    ]);
    expect(error).not.toContain('ab');
  });

  it('refuses a quoted field left open, which runs to the end of the text', () => {
    expect(parseCsv('ok,1\n"secret,2\nmore,3\n')).toEqual([
      { line: 1, fields: ['ok', '1'] },
      {
        line: 2,
        fields: ['secret,2\nmore,3\n'],
        error: 'a quoted field is not closed before the end of the file',
      },
    ]);
  });

  it('reads a field of 1 MB, quoted or not, in linear time', () => {
    const big = 'x'.repeat(1024 * 1024);
    const started = performance.now();
    expect(fieldsOf(`${big},"${big}"""\n`)).toEqual([[big, `${big}"`]]);
    // A parser that copied the text per character would take seconds here.
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
