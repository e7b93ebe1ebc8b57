import { Logger } from '@nestjs/common';
import type { Socket } from 'socket.io';

import {
  AuthError,
  AuthEvents,
  type AuthEvent,
  InProcessRevocationBus,
  MemoryRateLimitStore,
  RevocationList,
  type RateLimitStore,
} from '@ioauth/auth-core';

import { wsIdentity, type WsIdentity } from '../identity/ws-identity.js';
import { GrantsChange } from '../lifecycle/grants-change.js';
import type { NamespacePolicyRule } from '../ws-auth.options.js';
import { parseWsAuthOptions } from '../ws-auth.options.schema.js';
import { HandshakeAuthenticator } from './handshake-authenticator.js';
import type { WsTokenVerifier } from './ws-token.verifier.js';

const clock = { now: () => 1_800_000_000_000 };

function handshake(auth: Record<string, unknown> = { token: 'a.b.c' }, namespace = '/') {
  return {
    id: 'socket-1',
    nsp: { name: namespace },
    data: {},
    request: { socket: { remoteAddress: '192.0.2.1' } },
    handshake: { auth, headers: {}, query: {} },
  } as unknown as Socket;
}

function authenticator(
  verify: () => WsIdentity | Promise<WsIdentity>,
  store: RateLimitStore = new MemoryRateLimitStore(clock),
  namespaces: readonly NamespacePolicyRule[] = [{ namespace: '/admin', auth: 'required', roles: ['admin'] }],
  events = new AuthEvents(),
  revocations = new RevocationList(new InProcessRevocationBus(), clock, 60_000),
) {
  return new HandshakeAuthenticator(
    store,
    parseWsAuthOptions({ handshakeIpLimit: 2, namespaces }),
    { verify } as unknown as WsTokenVerifier,
    revocations,
    clock,
    events,
    new GrantsChange(revocations),
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

  it('tells the application of each handshake it accepts or refuses', async () => {
    const events = new AuthEvents();
    const emitted: AuthEvent[] = [];
    events.subscribe((event) => void emitted.push(event));
    const subject = authenticator(() => alice, undefined, undefined, events);
    await run(subject, handshake());
    await run(subject, handshake({ token: 'a.b.c' }, '/admin'));
    expect(emitted).toEqual([
      { type: 'socket.authenticated', socketId: 'socket-1', namespace: '/', sub: 'alice', sid: 's' },
      { type: 'socket.refused', namespace: '/admin', code: 'forbidden' },
    ]);
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

  describe('after the user lost grants', () => {
    const cut = (scopes: string[], roles: string[]) => {
      const revocations = new RevocationList(new InProcessRevocationBus(), clock, 60_000);
      revocations.add({
        kind: 'grants',
        sub: 'alice',
        reason: 'grants_changed',
        at: clock.now(),
        scopes,
        roles,
      });
      return revocations;
    };
    const issuedBefore = { ...alice, scope: 'chat:read chat:write', roles: ['admin'], iat: 1_799_999_000 };

    it('leaves on socket.data only the grants the user still holds', async () => {
      const socket = handshake();
      const subject = authenticator(
        () => issuedBefore,
        undefined,
        undefined,
        undefined,
        cut(['chat:read'], ['admin']),
      );
      expect(await run(subject, socket)).toBeUndefined();
      expect(wsIdentity(socket)).toEqual({ ...issuedBefore, scope: 'chat:read', roles: ['admin'] });
    });

    it('judges the namespace policy on the grants left: a token that lost admin is refused /admin', async () => {
      const subject = authenticator(
        () => issuedBefore,
        undefined,
        undefined,
        undefined,
        cut(['chat:read', 'chat:write'], []),
      );
      expect((await run(subject, handshake(undefined, '/admin')))?.data).toMatchObject({ code: 'forbidden' });
    });

    it('keeps the grants of a token issued after the cut', async () => {
      const socket = handshake();
      const issuedAfter = { ...issuedBefore, iat: 1_800_000_001 };
      const subject = authenticator(() => issuedAfter, undefined, undefined, undefined, cut([], []));
      expect(await run(subject, socket)).toBeUndefined();
      expect(wsIdentity(socket)).toEqual(issuedAfter);
    });
  });

  describe('with a namespace predicate', () => {
    const withPredicate = (
      allow: NamespacePolicyRule['allow'],
      verify: () => WsIdentity = () => alice,
      auth: 'required' | 'optional' = 'required',
    ) => authenticator(verify, undefined, [{ namespace: '/tenant', auth, allow }]);
    const onTenant = (auth?: Record<string, unknown>) => handshake(auth, '/tenant');

    beforeEach(() => {
      import.meta.jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    });
    afterEach(() => import.meta.jest.restoreAllMocks());

    it('admits a socket the predicate answers true for, with the identity and the namespace', async () => {
      const asked: unknown[] = [];
      const socket = onTenant();
      const error = await run(
        withPredicate((identity, { namespace, socket: judged }) => {
          asked.push(identity?.sub, namespace, judged === socket);
          return true;
        }),
        socket,
      );
      expect(error).toBeUndefined();
      expect(asked).toEqual(['alice', '/tenant', true]);
      expect(wsIdentity(socket)).toEqual(alice);
    });

    it.each([
      ['answers false', () => false],
      ['answers a promise of false', async () => false],
      ['answers a truthy value other than true', () => 'yes' as unknown as boolean],
      [
        'throws',
        () => {
          throw new TypeError('bug in the app');
        },
      ],
      ['rejects', () => Promise.reject(new Error('directory down'))],
    ])('refuses with forbidden when the predicate %s', async (_case, allow) => {
      const socket = onTenant();
      expect((await run(withPredicate(allow), socket))?.data).toMatchObject({ code: 'forbidden' });
      expect(wsIdentity(socket)).toBeUndefined();
    });

    it('admits on a promise of true', async () => {
      expect(
        await run(
          withPredicate(async () => true),
          onTenant(),
        ),
      ).toBeUndefined();
    });

    it('asks about an anonymous socket on an optional namespace, with an undefined identity', async () => {
      const asked: unknown[] = [];
      const open = withPredicate(
        (identity) => {
          asked.push(identity);
          return asked.length === 1;
        },
        () => alice,
        'optional',
      );
      expect(await run(open, onTenant({}))).toBeUndefined();
      expect((await run(open, onTenant({})))?.data).toMatchObject({ code: 'forbidden' });
      expect(asked).toEqual([undefined, undefined]);
    });

    it('does not ask about a token that fails the namespace’s roles', async () => {
      let asked = 0;
      const subject = authenticator(() => alice, undefined, [
        { namespace: '/admin', auth: 'required', roles: ['admin'], allow: () => ++asked > 0 },
      ]);
      expect((await run(subject, handshake(undefined, '/admin')))?.data).toMatchObject({ code: 'forbidden' });
      expect(asked).toBe(0);
    });
  });
});
