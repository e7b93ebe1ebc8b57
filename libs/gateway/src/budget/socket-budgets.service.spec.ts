import type { Socket } from 'socket.io';

import { AuthEvents } from '@ioauth/auth-core';

import type { WsAuthOptions } from '../ws-auth.options.js';
import { SocketBudgets } from './socket-budgets.service.js';

class ManualClock {
  constructor(public ms = 1_000_000) {}
  now(): number {
    return this.ms;
  }
}

function fakeSocket() {
  const emitted: [string, unknown][] = [];
  const socket = {
    connected: true,
    nsp: { name: '/' },
    data: {},
    emit: (event: string, payload: unknown) => emitted.push([event, payload]),
    disconnect: () => {
      socket.connected = false;
    },
  };
  return { socket: socket as unknown as Socket, emitted, isOpen: () => socket.connected };
}

function setup(options: WsAuthOptions = {}) {
  const clock = new ManualClock();
  const budgets = new SocketBudgets(options, clock, new AuthEvents());
  return { clock, budgets, ...fakeSocket() };
}

// Admits `count` events at the current time; returns how many got through.
const burst = (admit: () => boolean, count: number) =>
  Array.from({ length: count }, admit).filter((admitted) => admitted).length;

describe('SocketBudgets', () => {
  it('admits a burst, then refills at the sustained rate computed from the clock', () => {
    const { clock, budgets, socket } = setup({ eventBudget: { perSecond: 10, burst: 5 } });
    expect(burst(() => budgets.admit(socket, 'chat:send', []), 8)).toBe(5);
    clock.ms += 300;
    expect(burst(() => budgets.admit(socket, 'chat:send', []), 8)).toBe(3);
    clock.ms += 60_000;
    expect(burst(() => budgets.admit(socket, 'chat:send', []), 8)).toBe(5);
  });

  it('keeps each socket’s budget apart', () => {
    const { budgets, socket } = setup({ eventBudget: { perSecond: 1, burst: 2 } });
    const other = fakeSocket().socket;
    expect(burst(() => budgets.admit(socket, 'e', []), 3)).toBe(2);
    expect(burst(() => budgets.admit(other, 'e', []), 3)).toBe(2);
  });

  it('answers a refused event with the ack error when the client asked for one, else the exception event', () => {
    const { budgets, socket, emitted } = setup({ eventBudget: { perSecond: 1, burst: 1 } });
    budgets.admit(socket, 'chat:send', []);
    const acks: unknown[] = [];
    expect(budgets.admit(socket, 'chat:send', [{ text: 'x' }, (result: unknown) => acks.push(result)])).toBe(
      false,
    );
    expect(acks).toEqual([{ error: { code: 'rate_limited', message: expect.any(String) } }]);
    expect(budgets.admit(socket, 'chat:send', [{ text: 'x' }])).toBe(false);
    expect(emitted).toEqual([
      ['exception', { code: 'rate_limited', message: expect.any(String), event: 'chat:send' }],
    ]);
  });

  it('charges auth:refresh to its own small budget as well, by default 5 at once then 30 a minute', () => {
    const { clock, budgets, socket } = setup();
    expect(burst(() => budgets.admitRefresh(socket, []), 8)).toBe(5);
    expect(budgets.admit(socket, 'whoami', [])).toBe(true);
    clock.ms += 2_000;
    expect(burst(() => budgets.admitRefresh(socket, []), 5)).toBe(1);
  });

  it('disconnects with auth:error rate_limited a socket that keeps on after its refusals are spent', () => {
    const { budgets, socket, emitted, isOpen } = setup({
      eventBudget: { perSecond: 1, burst: 1 },
      refusalBudget: { perSecond: 1, burst: 3 },
    });
    budgets.admit(socket, 'e', []);
    for (const _refusal of [1, 2, 3]) budgets.admit(socket, 'e', []);
    expect(isOpen()).toBe(true);
    expect(budgets.admit(socket, 'e', [])).toBe(false);
    expect(isOpen()).toBe(false);
    expect(emitted.at(-1)).toEqual(['auth:error', { code: 'rate_limited', message: expect.any(String) }]);
  });

  it('forgives a socket that overshoots now and then', () => {
    const { clock, budgets, socket, isOpen } = setup({
      eventBudget: { perSecond: 1, burst: 1 },
      refusalBudget: { perSecond: 1, burst: 3 },
    });
    for (let second = 0; second < 60; second += 1) {
      burst(() => budgets.admit(socket, 'e', []), 3);
      clock.ms += 2_000;
    }
    expect(isOpen()).toBe(true);
  });

  it('refills nothing for a clock that stepped back, and from then on at the usual rate', () => {
    const { clock, budgets, socket } = setup({ eventBudget: { perSecond: 1, burst: 2 } });
    expect(burst(() => budgets.admit(socket, 'e', []), 2)).toBe(2);
    clock.ms -= 10_000;
    expect(budgets.admit(socket, 'e', [])).toBe(false);
    clock.ms += 1_000;
    expect(burst(() => budgets.admit(socket, 'e', []), 2)).toBe(1);
  });

  it.each([
    ['a zero rate', { perSecond: 0, burst: 1 }],
    ['a burst below one', { perSecond: 1, burst: 0.5 }],
    ['an infinite rate', { perSecond: Infinity, burst: 1 }],
  ])('refuses to start with %s', (_case, eventBudget) => {
    expect(() => setup({ eventBudget })).toThrow(/eventBudget/);
  });
});
