import type { Socket } from 'socket.io';

import { SocketRegistry } from './socket-registry.js';

const socket = (sub: string, sid: string) =>
  ({ data: { ioauth: { sub, sid, scope: '', roles: [] } } }) as unknown as Socket;

describe('SocketRegistry', () => {
  it('finds the sockets of a session and of a user, through one, two and back to one socket', () => {
    const registry = new SocketRegistry();
    const first = socket('alice', 's1');
    const second = socket('alice', 's2');
    const third = socket('alice', 's2');
    registry.add(first);
    expect(registry.user('alice')).toEqual([first]);
    registry.add(second);
    registry.add(third);
    expect(registry.user('alice')).toEqual([first, second, third]);
    expect(registry.session('s2')).toEqual([second, third]);
    registry.remove(second);
    expect(registry.session('s2')).toEqual([third]);
    registry.remove(third);
    registry.remove(first);
    expect(registry.user('alice')).toEqual([]);
    expect(registry.session('s1')).toEqual([]);
  });

  it('ignores anonymous sockets and a socket added twice', () => {
    const registry = new SocketRegistry();
    const anonymous = { data: {} } as unknown as Socket;
    registry.add(anonymous);
    const only = socket('bob', 's');
    registry.add(only);
    registry.add(only);
    expect(registry.user('bob')).toEqual([only]);
    registry.remove(only);
    expect(registry.user('bob')).toEqual([]);
  });
});
