import { Logger } from '@nestjs/common';
import type { Socket } from 'socket.io';

import type { WsIdentity } from '../identity/ws-identity.js';
import { admits, askPredicate, mayHoldRooms } from './policy-check.js';

const socket = { nsp: { name: '/chat' } } as unknown as Socket;
const alice: WsIdentity = { sub: 'alice', scope: 'chat:read', roles: [], claims: { tenant: 'acme' } };
const onEvent = { event: 'order:cancel', data: { card: 'card 4111-1111' }, socket };

describe('policy predicates', () => {
  let logged: { level: string; line: unknown }[];
  beforeEach(() => {
    logged = [];
    for (const level of ['error', 'warn'] as const)
      import.meta.jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
        logged.push({ level, line: args[0] });
      });
  });
  afterEach(() => {
    import.meta.jest.useRealTimers();
    import.meta.jest.restoreAllMocks();
  });

  it('answers synchronously, without a promise, when the predicate does', () => {
    expect(askPredicate(() => true, alice, onEvent)).toBe(true);
    expect(askPredicate(() => false, alice, onEvent)).toBe(false);
    expect(logged).toEqual([]);
  });

  it('admits on a promise of true, refuses on a promise of false', async () => {
    expect(await askPredicate(async () => true, alice, onEvent)).toBe(true);
    expect(await askPredicate(async () => false, alice, onEvent)).toBe(false);
  });

  it.each([
    ['a truthy number', 1],
    ['a string', 'yes'],
    ['an object', { allowed: true }],
    ['undefined', undefined],
  ])('refuses %s, since only exactly true admits, and warns', async (_case, answer) => {
    expect(askPredicate(() => answer, alice, onEvent)).toBe(false);
    expect(await askPredicate(async () => answer, alice, onEvent)).toBe(false);
    expect(logged.map(({ level }) => level)).toEqual(['warn', 'warn']);
  });

  it('refuses when the predicate throws, logging the event and namespace but not the payload', () => {
    const verdict = askPredicate(
      (_identity, { data }) => JSON.parse(String((data as { card: string }).card)) as boolean,
      alice,
      onEvent,
    );
    expect(verdict).toBe(false);
    expect(logged).toEqual([
      {
        level: 'error',
        line: {
          msg: 'policy predicate threw: refused',
          namespace: '/chat',
          event: 'order:cancel',
          error: 'SyntaxError',
        },
      },
    ]);
    expect(JSON.stringify(logged)).not.toContain('4111');
  });

  it('refuses when the predicate rejects, logging the room', async () => {
    const verdict = askPredicate(() => Promise.reject(new Error('db down')), alice, {
      room: 'tenant:acme',
      socket,
    });
    expect(await verdict).toBe(false);
    expect(logged).toEqual([
      {
        level: 'error',
        line: {
          msg: 'policy predicate rejected: refused',
          namespace: '/chat',
          room: 'tenant:acme',
          error: 'Error',
        },
      },
    ]);
  });

  it('refuses a predicate that never answers after 5 s, and logs it once', async () => {
    import.meta.jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
    let answer: (value: boolean) => void = () => undefined;
    const verdict = askPredicate(
      () =>
        new Promise<boolean>((resolve) => {
          answer = resolve;
        }),
      undefined,
      { namespace: '/admin', socket },
    );
    import.meta.jest.advanceTimersByTime(4_999);
    expect(logged).toEqual([]);
    import.meta.jest.advanceTimersByTime(1);
    expect(await verdict).toBe(false);
    answer(true);
    await Promise.resolve();
    expect(logged).toEqual([
      {
        level: 'error',
        line: { msg: 'policy predicate did not answer in time: refused', namespace: '/admin' },
      },
    ]);
  });
});

describe('admits', () => {
  const policy = (allow?: () => boolean) => ({ scopes: ['chat:read'], ...(allow ? { allow } : {}) });

  it('needs the grants and the predicate both', () => {
    expect(
      admits(
        policy(() => true),
        alice,
        { namespace: '/', socket },
      ),
    ).toBe(true);
    expect(
      admits(
        policy(() => false),
        alice,
        { namespace: '/', socket },
      ),
    ).toBe(false);
    expect(admits(policy(), alice, { namespace: '/', socket })).toBe(true);
  });

  it('does not ask the predicate of an identity that lacks the grants, nor of an anonymous socket', () => {
    let asked = 0;
    const counting = policy(() => {
      asked += 1;
      return true;
    });
    expect(admits(counting, { ...alice, scope: '' }, { namespace: '/', socket })).toBe(false);
    expect(admits(counting, undefined, { namespace: '/', socket })).toBe(false);
    expect(asked).toBe(0);
  });

  it('asks the predicate about an anonymous socket when the policy asks no grants', () => {
    const seen: unknown[] = [];
    const verdict = admits(
      {
        allow: (identity: WsIdentity | undefined) => {
          seen.push(identity);
          return false;
        },
      },
      undefined,
      { namespace: '/public', socket },
    );
    expect(verdict).toBe(false);
    expect(seen).toEqual([undefined]);
  });
});

describe('mayHoldRooms', () => {
  const rules = [
    {
      room: /^tenant:/,
      allow: (identity: WsIdentity, { room }: { room: string }) =>
        room === `tenant:${String(identity.claims?.['tenant'])}`,
    },
    { room: 'audit', allow: async () => false },
    { room: /^staff/, scopes: ['staff'] },
  ];

  it('judges each room on its first matching rule, synchronously when no predicate answers with a promise', () => {
    expect(mayHoldRooms(rules, alice, ['tenant:acme', 'tenant:other', 'staff', 'lobby'], socket)).toEqual([
      true,
      false,
      false,
      true,
    ]);
  });

  it('waits for the predicates that answer with a promise', async () => {
    const verdicts = mayHoldRooms(rules, alice, ['audit', 'tenant:acme'], socket);
    expect(verdicts).toBeInstanceOf(Promise);
    expect(await verdicts).toEqual([false, true]);
  });

  it('keeps an anonymous socket out of every room a rule covers', () => {
    expect(mayHoldRooms(rules, undefined, ['tenant:acme', 'lobby'], socket)).toEqual([false, true]);
  });
});
