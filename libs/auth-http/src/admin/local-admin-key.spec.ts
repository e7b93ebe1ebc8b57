import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Logger } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';

import { parseAuthHttpOptions } from '../auth-http.options.schema.js';
import { LocalAdminKey, type LocalAdminFile } from './local-admin-key.js';

describe('LocalAdminKey', () => {
  let dir: string;
  let server: Server;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ioauth-local-admin-'));
    server = createServer();
  });
  afterEach(async () => {
    server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const listen = (host: string) =>
    new Promise<number>((resolve) =>
      server.listen(0, host, () => resolve((server.address() as AddressInfo).port)),
    );
  const start = async (
    options: Record<string, unknown> = { localAdminFile: join(dir, 'admin-api.json') },
  ) => {
    const host = { httpAdapter: { getHttpServer: () => server } } as unknown as HttpAdapterHost;
    const key = new LocalAdminKey(parseAuthHttpOptions(options), host);
    key.onApplicationBootstrap();
    return key;
  };
  const file = async () => JSON.parse(await readFile(join(dir, 'admin-api.json'), 'utf8')) as LocalAdminFile;

  it('writes {url, key, pid} once the server listens, readable by its owner only, and nothing else', async () => {
    const port = await listen('127.0.0.1');
    await start();
    expect(await file()).toEqual({
      url: `http://127.0.0.1:${port}`,
      key: expect.any(String),
      pid: process.pid,
    });
    expect((await stat(join(dir, 'admin-api.json'))).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await file()).key, 'base64url')).toHaveLength(32);
    expect(await readdir(dir)).toEqual(['admin-api.json']);
  });

  it('gives the loopback URL of a server listening on every interface', async () => {
    const port = await listen('0.0.0.0');
    await start();
    expect((await file()).url).toBe(`http://127.0.0.1:${port}`);
  });

  it('writes once the server starts listening, when it was not yet at start-up, before listen returns', async () => {
    await start();
    const port = await listen('127.0.0.1');
    expect((await file()).url).toBe(`http://127.0.0.1:${port}`);
  });

  it('accepts its own key from a loopback peer only, and nothing else', async () => {
    await listen('127.0.0.1');
    const local = await start();
    const { key } = await file();
    expect(local.accepts(key, '127.0.0.1')).toBe(true);
    expect(local.accepts(key, '::1')).toBe(true);
    expect(local.accepts(key, '::ffff:127.0.0.1')).toBe(true);
    for (const [presented, peer] of [
      [key, '203.0.113.9'],
      [key, '::ffff:10.0.0.1'],
      [key, undefined],
      [`${key}x`, '127.0.0.1'],
      [key.slice(1), '127.0.0.1'],
      ['', '127.0.0.1'],
      [[key], '127.0.0.1'],
    ] as const)
      expect(local.accepts(presented, peer)).toBe(false);
  });

  it('removes the file at shutdown', async () => {
    await listen('127.0.0.1');
    const local = await start();
    local.beforeApplicationShutdown();
    expect(await readdir(dir)).toEqual([]);
  });

  it('writes nothing and accepts nothing without localAdminFile (a server on PostgreSQL)', async () => {
    await listen('127.0.0.1');
    const local = await start({});
    local.beforeApplicationShutdown();
    expect(await readdir(dir)).toEqual([]);
    expect(local.accepts('anything', '127.0.0.1')).toBe(false);
  });

  it('says so, without the key, when it cannot write the file, and still starts', async () => {
    const warned: string[] = [];
    const spy = import.meta.jest
      .spyOn(Logger.prototype, 'warn')
      .mockImplementation((message: unknown) => void warned.push(String(message)));
    try {
      await listen('127.0.0.1');
      const local = await start({ localAdminFile: join(dir, 'missing', 'admin-api.json') });
      expect(warned).toEqual([expect.stringContaining('could not write the local admin credential file')]);
      expect(() => local.beforeApplicationShutdown()).not.toThrow();
    } finally {
      spy.mockRestore();
    }
  });
});
