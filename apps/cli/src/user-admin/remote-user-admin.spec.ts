import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { LocalAdminCredential } from './local-admin-credential.js';
import { RemoteUserAdmin } from './remote-user-admin.js';
import { adminUser } from '../testing/admin-user.js';

const KEY = 'local-admin-key-0123456789abcdefghijklmnop';

interface Seen {
  method: string;
  url: string;
  key: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

type Reply = (request: Seen, response: ServerResponse) => void;

/** A stand-in for the admin API: answers each request with `reply` and records what it was sent. */
async function adminApi(reply: Reply): Promise<{ seen: Seen[]; url: string; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      const header = request.headers['x-ioauth-local-admin'];
      const entry: Seen = {
        method: request.method ?? '',
        url: request.url ?? '',
        key: typeof header === 'string' ? header : undefined,
        contentType: request.headers['content-type'],
        body: text === '' ? undefined : JSON.parse(text),
      };
      seen.push(entry);
      reply(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { seen, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const json = (response: ServerResponse, status: number, body?: unknown) => {
  response.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
  response.end(body === undefined ? undefined : JSON.stringify(body));
};

const credential = (url: string): LocalAdminCredential => ({
  url,
  key: KEY,
  pid: 1,
  file: '/data/admin-api.json',
});

describe('RemoteUserAdmin', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map((server) => {
        server.closeAllConnections();
        return new Promise((resolve) => server.close(resolve));
      }),
    );
  });
  const start = async (reply: Reply) => {
    const api = await adminApi(reply);
    servers.push(api.server);
    return { ...api, admin: new RemoteUserAdmin(credential(api.url)) };
  };

  it('runs each verb on its admin route with the local admin key, and reads the answers', async () => {
    const { admin, seen } = await start((request, response) => {
      if (request.method === 'GET' && request.url === '/admin/users')
        return json(response, 200, { users: [adminUser('ann')] });
      if (request.method === 'POST') return json(response, 201, adminUser('bea', { scopes: ['a'] }));
      if (request.method === 'PATCH') return json(response, 200, adminUser('bea', { disabled: true }));
      if (request.method === 'GET') return json(response, 200, { sessions: [{ sid: 's1' }, { sid: 's2' }] });
      return json(response, 204);
    });
    expect(await admin.list()).toEqual([adminUser('ann')]);
    expect(await admin.create({ username: 'Bea', password: 'pass-word-1', scopes: ['a'] })).toEqual(
      adminUser('bea', { scopes: ['a'] }),
    );
    expect(await admin.update('bea', { disabled: true })).toEqual(adminUser('bea', { disabled: true }));
    await admin.remove('a/b c');
    expect(await admin.endSessions('bea')).toBe(2);
    expect(seen.map(({ method, url, body }) => [method, url, body])).toEqual([
      ['GET', '/admin/users', undefined],
      ['POST', '/admin/users', { username: 'Bea', password: 'pass-word-1', scopes: ['a'] }],
      ['PATCH', '/admin/users/bea', { disabled: true }],
      ['DELETE', '/admin/users/a%2Fb%20c', undefined],
      ['GET', '/admin/users/bea/sessions', undefined],
      ['DELETE', '/admin/users/bea/sessions', undefined],
    ]);
    expect(seen.every(({ key }) => key === KEY)).toBe(true);
    expect(
      seen.filter(({ body }) => body).every(({ contentType }) => contentType === 'application/json'),
    ).toBe(true);
  });

  it.each([
    [400, 'weak_password', 'the password is shorter than 8 characters'],
    [400, 'invalid_request', 'each of scopes must be 1 to 128 printable ASCII characters'],
    [404, 'not_found', 'no such user'],
    [409, 'conflict', 'a user with this name exists'],
  ])('refuses as the admin API does: %i %s', async (status, code, message) => {
    const { admin } = await start((_request, response) =>
      json(response, status, { statusCode: status, code, message }),
    );
    await expect(admin.update('ann', { scopes: ['x'] })).rejects.toMatchObject({ code, message });
  });

  it('says the file is stale when the server refuses its key, without quoting the key', async () => {
    const { admin } = await start((_request, response) =>
      json(response, 401, {
        statusCode: 401,
        code: 'invalid_token',
        message: 'the local admin key is wrong',
      }),
    );
    const refused = admin.list();
    await expect(refused).rejects.toMatchObject({
      code: 'admin_api_unavailable',
      message: expect.stringContaining('refused the key of /data/admin-api.json'),
    });
    await expect(refused).rejects.not.toMatchObject({ message: expect.stringContaining(KEY) });
  });

  it('says the server has stopped when nothing listens at the URL of the file', async () => {
    const { url, server } = await start((_request, response) => json(response, 204));
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await expect(new RemoteUserAdmin(credential(url)).list()).rejects.toMatchObject({
      code: 'admin_api_unavailable',
      message: expect.stringMatching(
        /^no server answers at http:\/\/127\.0\.0\.1:\d+, named in \/data\/admin-api\.json/,
      ),
    });
  });

  it('never follows a redirect, so the key and the passwords go nowhere else', async () => {
    const elsewhere = await start((_request, response) => json(response, 201, adminUser('eve')));
    const { admin } = await start((_request, response) => {
      response.writeHead(307, { location: `${elsewhere.url}/admin/users` });
      response.end();
    });
    await expect(admin.create({ username: 'eve', password: 'pass-word-1' })).rejects.toMatchObject({
      code: 'admin_api_unavailable',
    });
    expect(elsewhere.seen).toEqual([]);
  });

  it('reports an answer that is not the admin API’s by its status alone', async () => {
    const { admin } = await start((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html>bad gateway</html>');
    });
    await expect(admin.list()).rejects.toMatchObject({
      code: 'internal_error',
      message: 'the admin API answered 502',
    });
  });
});
