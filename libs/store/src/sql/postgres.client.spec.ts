import { randomBytes } from 'node:crypto';

import { postgresAvailable, startTcpProxy, TEST_POSTGRES_URL, type TcpProxy } from '@ioauth/test-support';

import { PostgresSqlClient } from './postgres.client.js';

const withPostgres = await postgresAvailable();
const QUERY_TIMEOUT_MS = 500;

const elapsedOf = async (work: Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await work;
  return performance.now() - started;
};

(withPostgres ? describe : describe.skip)('PostgresSqlClient against a server that stops answering', () => {
  let proxy: TcpProxy;
  let url: string;
  const schema = `ioauth_test_${randomBytes(6).toString('hex')}`;
  const clients: PostgresSqlClient[] = [];

  /** A client through the proxy, with one connection so that a connection left stuck would show. */
  const connect = async (queryTimeoutMs = QUERY_TIMEOUT_MS) => {
    const client = await PostgresSqlClient.connect(url, { schema, maxConnections: 1, queryTimeoutMs });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    const target = new URL(TEST_POSTGRES_URL);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const through = new URL(TEST_POSTGRES_URL);
    through.host = `127.0.0.1:${proxy.port}`;
    url = through.toString();
  });
  afterEach(async () => {
    proxy.thaw();
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  afterAll(async () => {
    const admin = await PostgresSqlClient.connect(TEST_POSTGRES_URL);
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.close();
    await proxy.close();
  });

  it('fails a statement that gets no reply within its bound', async () => {
    const client = await connect();
    proxy.freeze();
    const started = performance.now();
    await expect(client.query('select 1')).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(QUERY_TIMEOUT_MS + 1_000);
  });

  it('has PostgreSQL cancel a statement that runs too long on a live server', async () => {
    const client = await connect();
    await expect(client.query('select pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
    expect(await client.query('select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('fails a transaction whose statement gets no reply, and hands out a working connection afterwards', async () => {
    const client = await connect();
    proxy.freeze();
    const elapsed = elapsedOf(expect(client.transaction((tx) => tx.query('select 1'))).rejects.toThrow());
    // Never a second bound spent on a rollback queued behind the statement that hangs.
    expect(await elapsed).toBeLessThan(QUERY_TIMEOUT_MS * 2);
    proxy.thaw();
    expect(await client.transaction((tx) => tx.query('select 2 as two'))).toEqual([{ two: 2 }]);
    expect(await client.query('select 3 as three')).toEqual([{ three: 3 }]);
  });

  it('closes within 2 s while a statement waits on a frozen server', async () => {
    const client = await connect(60_000);
    proxy.freeze();
    const pending = client.query('select 1').catch((error: unknown) => error);
    const elapsed = await elapsedOf(client.close());
    clients.splice(clients.indexOf(client), 1);
    expect(elapsed).toBeLessThan(3_000);
    expect(await pending).toBeInstanceOf(Error);
  });

  it('gives migrations statements longer than a request may wait', async () => {
    const client = await connect();
    const migrations = client.forMigrations();
    expect(await migrations.transaction((tx) => tx.query('select pg_sleep(1)::text as slept'))).toEqual([
      { slept: '' },
    ]);
  });
});
