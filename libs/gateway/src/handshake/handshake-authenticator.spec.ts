import type { Socket } from 'socket.io';

import {
  AuthError,
  InProcessRevocationBus,
  MemoryRateLimitStore,
  RevocationList,
  type IoauthConfig,
  type RateLimitStore,
} from '@ioauth/auth-core';

import { wsIdentity, type WsIdentity } from '../identity/ws-identity.js';
import { HandshakeAuthenticator } from './handshake-authenticator.js';
import type { WsTokenVerifier } from './ws-token.verifier.js';

const clock = { now: () => 1_800_000_000_000 };
const config = {
  trustProxy: false,
  handshakeIpLimit: 2,
  allowQueryToken: false,
  maxTokenBytes: 8192,
} as unknown as IoauthConfig;

function handshake(auth: Record<string, unknown> = { token: 'a.b.c' }, namespace = '/') {
  return {
    nsp: { name: namespace },
    data: {},
    request: { socket: { remoteAddress: '192.0.2.1' } },
    handshake: { auth, headers: {}, query: {} },
  } as unknown as Socket;
}

function authenticator(
  verify: () => WsIdentity | Promise<WsIdentity>,
  store: RateLimitStore = new MemoryRateLimitStore(clock),
) {
  const revocations = new RevocationList(new InProcessRevocationBus(), clock, 60_000);
  return new HandshakeAuthenticator(
    config,
    store,
    { namespaces: [{ namespace: '/admin', auth: 'required', roles: ['admin'] }] },
    { verify } as unknown as WsTokenVerifier,
    revocations,
    clock,
  );
}

function run(subject: HandshakeAuthenticator, socket: Socket) {
  return new Promise<{ data?: unknown } | undefined>((resolve) =>
    subject.middleware(socket, (error) => resolve(error as { data?: unknown } | undefined)),
  );
}

const alice: WsIdentity = {
  sub: 'alice',
  sid: 's',
  scope: '',
  roles: [],
  exp: 1_800_000_900,
  iat: 1_800_000_000,
};

describe('HandshakeAuthenticator', () => {
  it('leaves the verified identity on socket.data', async () => {
    const socket = handshake();
    expect(
      await run(
        authenticator(() => alice),
        socket,
      ),
    ).toBeUndefined();
    expect(wsIdentity(socket)).toEqual(alice);
  });

  it('answers unavailable, without details, when the rate-limit store fails', async () => {
    const broken = { increment: () => Promise.reject(new Error('ECONNREFUSED 10.0.0.7:6379')) };
    const error = await run(
      authenticator(() => alice, broken as unknown as RateLimitStore),
      handshake(),
    );
    expect(error?.data).toEqual({ code: 'unavailable', message: expect.not.stringContaining('10.0.0.7') });
  });

  it('answers unavailable when verification fails for a reason other than the token', async () => {
    const error = await run(
      authenticator(() => Promise.reject(new TypeError('boom'))),
      handshake(),
    );
    expect(error?.data).toMatchObject({ code: 'unavailable' });
  });

  it('keeps the code of an AuthError, mapping the HTTP-only names to connect_error codes', async () => {
    const expired = await run(
      authenticator(() => {
        throw new AuthError('token_expired', 'the access token has expired');
      }),
      handshake(),
    );
    expect(expired?.data).toEqual({ code: 'token_expired', message: 'the access token has expired' });
    const unavailable = await run(
      authenticator(() => Promise.reject(new AuthError('service_unavailable', 'down'))),
      handshake(),
    );
    expect(unavailable?.data).toMatchObject({ code: 'unavailable' });
  });

  it('counts attempts per client address before any token work', async () => {
    let verified = 0;
    const subject = authenticator(() => {
      verified += 1;
      return alice;
    });
    await run(subject, handshake());
    await run(subject, handshake());
    const third = await run(subject, handshake());
    expect(third?.data).toMatchObject({ code: 'rate_limited' });
    expect(verified).toBe(2);
  });

  it('refuses a namespace whose policy the token fails with forbidden', async () => {
    const error = await run(
      authenticator(() => alice),
      handshake({ token: 'a.b.c' }, '/admin'),
    );
    expect(error?.data).toMatchObject({ code: 'forbidden' });
  });
});
