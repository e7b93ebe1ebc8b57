import { WebSocketGateway } from '@nestjs/websockets';

import type { WhoAmI } from '@ioauth/contracts';
import { WsAuthModule } from '@ioauth/gateway';

import { connectSocket, refusedConnect } from '@ioauth/test-support';

import { startTestApp, type TestApp } from './test-app.js';

@WebSocketGateway()
class EmptyGateway {}

describe('startTestApp and its token minter', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ imports: [WsAuthModule.forRoot({})], providers: [EmptyGateway] });
  }, 30_000);
  afterAll(async () => {
    await app?.close();
  });

  it('serves a gateway that accepts a minted token for a chosen user', async () => {
    const socket = await connectSocket(`${app.url}/`, {
      auth: { token: await app.mint({ sub: 'dora', scope: 'a b', roles: ['r'] }) },
    });
    try {
      expect(await socket.emitWithAck('whoami')).toEqual({
        sub: 'dora',
        scope: 'a b',
        roles: ['r'],
        exp: expect.any(Number),
      } satisfies WhoAmI);
    } finally {
      socket.close();
    }
  });

  it.each([
    ['already expired', { expiresIn: -60 }, 'token_expired'],
    ['not valid yet', { notBefore: 120 }, 'token_invalid'],
    ['without a sid', { claims: { sid: undefined } }, 'token_invalid'],
    ['with another kid', { header: { kid: 'other' } }, 'token_invalid'],
  ])('mints tokens %s, which the app refuses', async (_case, options, code) => {
    expect(await refusedConnect(`${app.url}/`, { auth: { token: await app.mint(options) } })).toMatchObject({
      code,
    });
  });
});
