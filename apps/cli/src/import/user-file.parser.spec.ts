import { CliError } from '../cli.error.js';
import { MAX_IMPORT_BYTES, MAX_ROW_CHARS, parseUserFile } from './user-file.parser.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const parse = (text: string, name = 'users.csv') => parseUserFile(bytes(text), name);
const refusal = (text: string, name = 'users.csv'): CliError => {
  try {
    parse(text, name);
  } catch (error) {
    return error as CliError;
  }
  throw new Error('the file was accepted');
};

describe('parseUserFile, CSV', () => {
  it('reads users, their scopes and roles split on spaces or semicolons', () => {
    expect(
      parse('username,password,scopes,roles\nCarol,pa:ss wörd ,chat:read; chat:write,moderator\n'),
    ).toEqual([
      {
        row: 2,
        username: 'carol',
        user: {
          username: 'Carol',
          password: 'pa:ss wörd ',
          scopes: ['chat:read', 'chat:write'],
          roles: ['moderator'],
        },
      },
    ]);
  });

  it('takes the columns in any order and case; scopes and roles may be left out', () => {
    expect(parse('Password, USERNAME\n"a,""b""",dave\n')).toEqual([
      { row: 2, username: 'dave', user: { username: 'dave', password: 'a,"b"' } },
    ]);
  });

  it('reads a file with a byte order mark, CRLF line ends and empty lines; rows are numbered by file line', () => {
    const rows = parse(
      '\uFEFFusername,password\r\n\r\nerin,secret-one\r\n   \r\n"fr\nank",secret-two\r\ngus,x\r\n',
    );
    expect(rows.map(({ row, username }) => [row, username])).toEqual([
      [3, 'erin'],
      // A username holding a line break is refused by the backend, as any other control character.
      [5, undefined],
      [7, 'gus'],
    ]);
  });

  it('empties the grants of an empty cell', () => {
    expect(parse('username,password,scopes,roles\nhal,secret-one,,\n')[0]).toMatchObject({
      user: { scopes: [], roles: [] },
    });
  });

  it.each([
    ['a missing field', 'ivy,secret-one\n', 'the row has 2 fields where the header has 3'],
    ['an extra field', 'ivy,secret-one,a,b\n', 'the row has 4 fields where the header has 3'],
    ['a stray quote', 'ivy,sec"ret,a\n', 'a double quote in a field not enclosed in double quotes'],
    ['an unclosed quote', 'ivy,"secret,a\n', 'a quoted field is not closed before the end of the file'],
  ])('refuses a row with %s, saying why without quoting it, and reads the next', (_case, line, message) => {
    const rows = parse(`username,password,scopes\n${line}jo,secret-two,\n`);
    expect(rows[0]).toEqual({ row: 2, error: { code: 'invalid_request', message } });
    expect(JSON.stringify(rows[0])).not.toContain('secret');
    if (!message.includes('not closed')) expect(rows[1]).toMatchObject({ row: 3, username: 'jo' });
  });

  it('refuses a row of 1 MB, without holding its text, and reads the others', () => {
    const big = 'p'.repeat(1024 * 1024);
    const rows = parse(`username,password\nkim,${big}\n${big},secret-one\nlee,secret-two\n`);
    const tooLong = {
      code: 'invalid_request',
      message: `the row is longer than ${MAX_ROW_CHARS} characters`,
    };
    expect(rows).toEqual([
      { row: 2, error: tooLong },
      { row: 3, error: tooLong },
      { row: 4, username: 'lee', user: { username: 'lee', password: 'secret-two' } },
    ]);
  });

  it('refuses every row after the first that names the same user, as the store compares names', () => {
    const rows = parse(
      'username,password\nMia,secret-one\nnoe,secret-two\nmia,secret-three\nMIA,secret-four\n',
    );
    expect(rows.slice(2)).toEqual([
      { row: 4, username: 'mia', error: { code: 'conflict', message: 'the username is also on row 2' } },
      { row: 5, username: 'mia', error: { code: 'conflict', message: 'the username is also on row 2' } },
    ]);
  });

  it.each([
    ['no header, without echoing the first user', 'olga,hunter2-secret\n', 'column 1 is not one of them'],
    ['an unknown column', 'username,password,email\n', 'column 3 is not one of them'],
    ['a repeated column', 'username,password,username\n', 'column 3 is not one of them, or repeats one'],
    ['no password column', 'username,scopes\n', 'username or password is missing'],
  ])('refuses a file with %s', (_case, text, message) => {
    const error = refusal(text);
    expect(error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining(message) });
    expect(error.message).not.toContain('hunter2');
  });

  it('reads an empty file, or one of a header alone, as no users', () => {
    expect(parse('')).toEqual([]);
    expect(parse('username,password\r\n')).toEqual([]);
  });
});

describe('parseUserFile, JSON', () => {
  it('reads an array of users, with the grants as given (the backend checks them)', () => {
    expect(
      parse(
        '[{"username":"Pat","password":"secret-one","scopes":["a"],"roles":"admin"},' +
          '{"username":"quinn","password":"secret-two"}]',
        'users.json',
      ),
    ).toEqual([
      {
        row: 1,
        username: 'pat',
        user: { username: 'Pat', password: 'secret-one', scopes: ['a'], roles: 'admin' },
      },
      { row: 2, username: 'quinn', user: { username: 'quinn', password: 'secret-two' } },
    ]);
  });

  it.each([
    ['not an object', '"rex"', 'the item is not an object'],
    ['an array', '["rex","secret"]', 'the item is not an object'],
    [
      'a misspelt field',
      '{"username":"rex","password":"secret-one","role":["admin"]}',
      'the item has a field',
    ],
    ['no username', '{"password":"secret-one"}', 'the item has no username string'],
    [
      'a password that is no string',
      '{"username":"rex","password":12345678}',
      'the item has no password string',
    ],
  ])('refuses an item that is %s and reads the next', (_case, item, message) => {
    const rows = parse(`[${item},{"username":"sam","password":"secret-two"}]`, 'users.json');
    expect(rows[0]).toMatchObject({
      row: 1,
      error: { code: 'invalid_request', message: expect.stringContaining(message) },
    });
    expect(rows[1]).toMatchObject({ row: 2, username: 'sam' });
  });

  it('refuses an item of 1 MB and a repeated username', () => {
    const big = 'p'.repeat(1024 * 1024);
    const rows = parse(
      JSON.stringify([
        { username: 'tia', password: big },
        { username: 'uma', password: 'secret-one' },
        { username: 'UMA', password: 'secret-two' },
      ]),
      'users.json',
    );
    expect(rows.map((row) => ('error' in row ? row.error.code : row.username))).toEqual([
      'invalid_request',
      'uma',
      'conflict',
    ]);
  });

  it('tells JSON from CSV by the content when the extension says neither, and reads a byte order mark', () => {
    expect(parse('\uFEFF [{"username":"val","password":"secret-one"}]', 'users.txt')).toHaveLength(1);
    expect(parse('username,password\nval,secret-one\n', 'users')).toHaveLength(1);
  });

  it.each([
    // The engine quotes the text around some faults (here `..."-secret"},,`) and gives a position for others.
    ['[\n{"username":"wes","password":"hunter2-secret"},,\n]', /^the file is not valid JSON$/],
    ['[\n{"username":"wes","password":"hunter2-secret"}\n{', /^the file is not valid JSON \(line 3\)$/],
  ])('refuses malformed JSON, naming the line when it can but never the text: %j', (text, message) => {
    const error = refusal(text, 'users.json');
    expect(error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(message) });
    expect(error.message).not.toContain('secret');
  });

  it('refuses JSON that is not an array', () => {
    expect(refusal('{"username":"wes"}', 'users.json')).toMatchObject({
      code: 'invalid_request',
      message: 'a JSON import file holds an array of users',
    });
  });
});

describe('parseUserFile, any format', () => {
  it('refuses a file that is not UTF-8', () => {
    expect(() => parseUserFile(new Uint8Array([0x75, 0xff, 0xfe, 0x0a]), 'users.csv')).toThrow(
      expect.objectContaining({ code: 'invalid_request', message: 'the file is not UTF-8 text' }),
    );
  });

  it('refuses a file larger than the limit before decoding it', () => {
    const huge = { byteLength: MAX_IMPORT_BYTES + 1 } as Uint8Array;
    expect(() => parseUserFile(huge, 'users.csv')).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
  });
});
