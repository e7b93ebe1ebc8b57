import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import pg from 'pg';

import { connectSocket, waitFor } from '@ioauth/testing';
import { createTestDatabase, postgresAvailable, startServer, type ServerProcess } from '@ioauth/test-support';

// The proof of issue 12: an app that mounts ioauth through its public APIs only (examples/enterprise-app), run as a
// real process over PostgreSQL. Its users live in a table of its own with bcrypt hashes.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SLOW = 60_000;
const available = await postgresAvailable();

const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

interface Tokens {
  access_token: string;
  refresh_token: string;
}

/** Runs the app's typed client script; resolves with the JSON lines it printed and its exit code. */
function runClient(args: string[]): Promise<{ code: number | null; lines: Record<string, unknown>[] }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      '@swc-node/register/esm-register',
      'examples/enterprise-app/src/client/orders-client.ts',
      ...args,
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        SWC_NODE_PROJECT: 'examples/enterprise-app/tsconfig.lib.json',
        NODE_OPTIONS: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve) =>
    child.once('exit', (code) =>
      resolve({
        code,
        lines: out
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      }),
    ),
  );
}

(available ? describe : describe.skip)('examples/enterprise-app', () => {
  let database: { url: string; drop(): Promise<void> };
  let app: ServerProcess;
  let sql: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startServer({ DATABASE_URL: database.url }, 'examples/enterprise-app');
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  }, SLOW);
  afterAll(async () => {
    await sql?.end();
    await app?.stop();
    await database?.drop();
  }, SLOW);

  const login = async (username: string, password: string): Promise<Tokens> => {
    const response = await fetch(`${app.url}/auth/login`, {
      method: 'POST',
      headers: { authorization: basic(username, password) },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Tokens;
  };
  const hashOf = async (username: string) =>
    (
      await sql.query<{ password_hash: string }>('select password_hash from app_users where username = $1', [
        username,
      ])
    ).rows[0]?.password_hash;

  describe('its own users, with bcrypt hashes', () => {
    it('logs a user of its own table in, and upgrades the bcrypt hash to argon2id on that login', async () => {
      expect(await hashOf('ann')).toMatch(/^\$2[aby]\$/);
      const tokens = await login('ann', 'ann-password');
      expect(claimsOf(tokens.access_token)).toMatchObject({
        sub: 'ann',
        tenant: 'acme',
        scope: 'orders:write',
      });
      expect(await hashOf('ann')).toMatch(/^\$argon2id\$/);
      expect(claimsOf((await login('ann', 'ann-password')).access_token)).toMatchObject({ tenant: 'acme' });
    });

    it.each([
      ['a wrong password', basic('ben', 'not-his-password')],
      ['an unknown user', basic('nobody', 'whatever-password')],
    ])('refuses %s with invalid_credentials, and upgrades nothing', async (_case, authorization) => {
      const response = await fetch(`${app.url}/auth/login`, { method: 'POST', headers: { authorization } });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'invalid_credentials' });
      expect(await hashOf('ben')).toMatch(/^\$2[aby]\$/);
    });

    it('keeps the tenant claim on a refreshed token: the claims hook runs at refresh too', async () => {
      const tokens = await login('ben', 'ben-password');
      const response = await fetch(`${app.url}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }),
      });
      expect(response.status).toBe(200);
      const refreshed = (await response.json()) as Tokens;
      expect(claimsOf(refreshed.access_token)).toMatchObject({ sub: 'ben', tenant: 'globex' });
    });
  });

  describe('POST /login/form (passport-local)', () => {
    const form = (body: unknown) =>
      fetch(`${app.url}/login/form`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    it('ends in the same session issuance as ioauth own login', async () => {
      const response = await form({ username: 'ada', password: 'ada-password' });
      expect(response.status).toBe(200);
      const tokens = (await response.json()) as Tokens;
      expect(claimsOf(tokens.access_token)).toMatchObject({ sub: 'ada', tenant: 'acme', roles: ['auditor'] });
      const me = await fetch(`${app.url}/auth/me`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      expect(await me.json()).toMatchObject({ sub: 'ada', sid: claimsOf(tokens.access_token)['sid'] });
    });

    it.each([
      ['a wrong password', { username: 'ada', password: 'wrong-password' }],
      ['no password', { username: 'ada' }],
      ['a password that is not text', { username: 'ada', password: ['ada-password'] }],
      ['a 1 MB username', { username: 'a'.repeat(1_000_000), password: 'x' }],
    ])('refuses %s with a 4xx and a stable code', async (_case, body) => {
      const response = await form(body);
      expect([400, 401, 413]).toContain(response.status);
      expect(await response.json()).toMatchObject({ code: expect.any(String) });
    });
  });

  describe('its audit listener', () => {
    it('sees the logins ioauth reports, and only an auditor may read it', async () => {
      const member = await login('ann', 'ann-password');
      const denied = await fetch(`${app.url}/audit`, {
        headers: { authorization: `Bearer ${member.access_token}` },
      });
      expect(denied.status).toBe(403);
      const auditor = await login('ada', 'ada-password');
      const response = await fetch(`${app.url}/audit`, {
        headers: { authorization: `Bearer ${auditor.access_token}` },
      });
      expect(response.status).toBe(200);
      const events = (await response.json()) as { type: string; sub?: string; username?: string }[];
      expect(events).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'login.succeeded', sub: 'ann' }),
          expect.objectContaining({ type: 'login.failed', username: 'ben', reason: 'invalid_credentials' }),
          expect.objectContaining({ type: 'token.refreshed', sub: 'ben' }),
        ]),
      );
      expect(JSON.stringify(events)).not.toContain('password');
    });
  });

  describe('its gateway, typed events and tenant rooms', () => {
    it('lets a user watch its own tenant only, and carries its orders to that tenant alone', async () => {
      const ann = await connectSocket(`${app.url}/`, {
        auth: { token: (await login('ann', 'ann-password')).access_token },
      });
      const ben = await connectSocket(`${app.url}/`, {
        auth: { token: (await login('ben', 'ben-password')).access_token },
      });
      try {
        expect(await ann.emitWithAck('orders:watch', { tenant: 'acme' })).toEqual({ ok: true });
        expect(await ben.emitWithAck('orders:watch', { tenant: 'globex' })).toEqual({ ok: true });
        expect(await ben.emitWithAck('orders:watch', { tenant: 'acme' })).toEqual({
          error: { code: 'forbidden', message: expect.any(String) },
        });
        const benHeard: unknown[] = [];
        ben.on('order:updated', (order: unknown) => benHeard.push(order));
        const heard = waitFor(ann, 'order:updated', 5_000);
        const placed = await ann.emitWithAck('order:place', { item: 'anvil' });
        expect(placed).toMatchObject({ tenant: 'acme', item: 'anvil', by: 'ann' });
        expect(await heard).toEqual(placed);
        // ben's own order reaches ben: had ann's reached ben's socket, it would have come first.
        const own = waitFor(ben, 'order:updated', 5_000);
        await ben.emitWithAck('order:place', { item: 'widget' });
        expect(await own).toMatchObject({ tenant: 'globex', by: 'ben' });
        expect(benHeard).toEqual([expect.objectContaining({ by: 'ben' })]);
      } finally {
        ann.close();
        ben.close();
      }
    });

    it('refuses an order to a user without the scope', async () => {
      const ada = await connectSocket(`${app.url}/`, {
        auth: { token: (await login('ada', 'ada-password')).access_token },
      });
      try {
        expect(await ada.emitWithAck('order:place', { item: 'anvil' })).toEqual({
          error: { code: 'forbidden', message: expect.any(String) },
        });
      } finally {
        ada.close();
      }
    });

    it(
      'runs the typed @ioauth/client script end to end: login, watch, place, hear its order',
      async () => {
        const { code, lines } = await runClient([app.url, 'ben', 'ben-password', 'globex', 'gear']);
        expect(lines).toEqual([
          { step: 'watch', result: { ok: true } },
          { step: 'place', result: expect.objectContaining({ tenant: 'globex', item: 'gear', by: 'ben' }) },
          { step: 'order', order: expect.objectContaining({ tenant: 'globex', item: 'gear', by: 'ben' }) },
        ]);
        expect(code).toBe(0);
      },
      SLOW,
    );
  });
});
