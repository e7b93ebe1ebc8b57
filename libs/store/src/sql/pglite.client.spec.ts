import { PgliteSqlClient } from './pglite.client.js';

describe('PgliteSqlClient.query (prepared statements)', () => {
  let client: PgliteSqlClient;
  beforeAll(async () => {
    client = await PgliteSqlClient.open('memory://');
    await client.query(
      `create table items (
         id int primary key, name text, tags text[], doc jsonb, big int8, flag boolean, at timestamptz
       )`,
    );
  }, 30_000);
  afterAll(() => client.close());
  beforeEach(() => client.query('delete from items'));

  const ids = async () =>
    (await client.query<{ id: number }>('select id from items order by id')).map((row) => row.id);

  it('stores and answers values as PGlite.query does', async () => {
    const at = new Date('2026-11-24T12:00:00.123Z');
    const row = [1, `it's "quoted"`, ['a', 'b,c', 'd"e'], { nested: [1, 'x'] }, 2n ** 40n, true, at];
    await client.query('insert into items values ($1, $2, $3, $4, $5, $6, $7)', row);
    await client.query('insert into items (id) values ($1)', [2]);
    const select = 'select * from items where id = any($1) order by id';
    const prepared = await client.query(select, [[1, 2]]);
    // PGlite's own path: a transaction's statements are not prepared.
    const plain = await client.transaction((tx) => tx.query(select, [[1, 2]]));
    expect(prepared).toEqual(plain);
    expect(prepared[0]).toEqual({
      id: 1,
      name: `it's "quoted"`,
      tags: ['a', 'b,c', 'd"e'],
      doc: { nested: [1, 'x'] },
      big: 2 ** 40,
      flag: true,
      at,
    });
  });

  it('refuses a statement with its SQLSTATE, then goes on working', async () => {
    await client.query('insert into items (id) values ($1)', [1]);
    await expect(client.query('insert into items (id) values ($1)', [1])).rejects.toMatchObject({
      code: '23505',
    });
    await expect(client.query('selec 1')).rejects.toMatchObject({ code: '42601' });
    await client.query('insert into items (id) values ($1)', [2]);
    expect(await ids()).toEqual([1, 2]);
  });

  it('never runs inside a transaction that another caller has open', async () => {
    let inserted!: () => void;
    let rollBack!: () => void;
    const insertedOne = new Promise<void>((resolve) => (inserted = resolve));
    const rolledBack = new Promise<void>((resolve) => (rollBack = resolve));
    const transaction = client.transaction(async (tx) => {
      await tx.query('insert into items (id) values (1)');
      inserted();
      await rolledBack;
      throw new Error('rolled back');
    });
    await insertedOne;
    const outside = client.query('insert into items (id) values (2)');
    rollBack();
    await expect(transaction).rejects.toThrow('rolled back');
    await outside;
    // Had the second insert run inside the open transaction, the rollback would have taken it too.
    expect(await ids()).toEqual([2]);
  });

  it('gives each of many concurrent statements its own answer', async () => {
    await Promise.all(
      [1, 2, 3, 4, 5, 6].map((id) => client.query('insert into items (id) values ($1)', [id])),
    );
    const names = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(async (id) => {
        const [row] = await client.query<{ id: number }>('select id from items where id = $1', [id]);
        return row?.id;
      }),
    );
    expect(names).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('prepares a statement again when its table changes shape', async () => {
    await client.query('create table shapes (a int)');
    await client.query('insert into shapes values ($1)', [1]);
    expect(await client.query('select * from shapes')).toEqual([{ a: 1 }]);
    await client.query('alter table shapes add column b int default 2');
    expect(await client.query('select * from shapes')).toEqual([{ a: 1, b: 2 }]);
  });
});
