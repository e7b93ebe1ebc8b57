import 'reflect-metadata';

import type { Socket } from 'socket.io-client';

import { WsAuthModule } from '@ioauth/gateway';
import { connectSocket, refusedConnect, startTestApp, type TestApp } from '@ioauth/testing';

import { ChatGateway } from '../src/chat.gateway.js';

describe('ChatGateway', () => {
  let app: TestApp;
  let socket: Socket | undefined;

  beforeAll(async () => {
    app = await startTestApp({ imports: [WsAuthModule.forRoot({})], providers: [ChatGateway] });
  });

  afterEach(() => {
    socket?.close();
    socket = undefined;
  });

  afterAll(async () => {
    await app.close();
  });

  it('lets a user with chat:write post', async () => {
    socket = await connectSocket(`${app.url}/`, {
      auth: { token: await app.mint({ sub: 'ann', scope: 'chat:write' }) },
    });
    await expect(socket.timeout(5_000).emitWithAck('chat:send', { text: 'hi' })).resolves.toEqual({
      ok: true,
    });
  });

  it('refuses a post without chat:write with forbidden', async () => {
    socket = await connectSocket(`${app.url}/`, {
      auth: { token: await app.mint({ sub: 'bo', scope: 'chat:read' }) },
    });
    await expect(socket.timeout(5_000).emitWithAck('chat:send', { text: 'hi' })).resolves.toMatchObject({
      error: { code: 'forbidden' },
    });
  });

  it('refuses the handshake of an expired token with token_expired', async () => {
    await expect(
      refusedConnect(`${app.url}/`, { auth: { token: await app.mint({ expiresIn: -60 }) } }),
    ).resolves.toMatchObject({ code: 'token_expired' });
  });
});
