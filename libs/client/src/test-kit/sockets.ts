import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';

import type { ConnectErrorData } from '@ioauth/contracts';

/** Anything with `once` and `off`: a socket, or a Node `EventEmitter` (named structurally: this file is browser-safe). */
export interface Listenable {
  once: (...args: never[]) => unknown;
  off: (...args: never[]) => unknown;
}

interface Emitter {
  once(event: string, listener: (value: never) => void): unknown;
  off(event: string, listener: (value: never) => void): unknown;
}

/** Waits for one `event` on a socket (or any emitter) and resolves with its first argument; rejects after `timeoutMs`. */
export function waitFor<T = unknown>(
  emitter: Socket | Listenable,
  event: string,
  timeoutMs = 5_000,
): Promise<T> {
  const target = emitter as unknown as Emitter;
  return new Promise<T>((resolve, reject) => {
    const listener = (value: T) => {
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => {
      target.off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    target.once(event, listener);
  });
}

/** Socket options for tests: a new connection each time, websocket only, no reconnection. */
export function testSocketOptions(
  options: Partial<ManagerOptions & SocketOptions> = {},
): Partial<ManagerOptions & SocketOptions> {
  return { forceNew: true, reconnection: false, transports: ['websocket'], ...options };
}

/** Connects and resolves once connected; rejects with the `connect_error`'s `data` (the contract's code). */
export async function connectSocket(
  url: string,
  options: Partial<ManagerOptions & SocketOptions> = {},
): Promise<Socket> {
  const socket = io(url, testSocketOptions(options));
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error: Error & { data?: ConnectErrorData }) =>
        reject(Object.assign(new Error(error.message), { data: error.data })),
      );
    });
  } catch (error) {
    socket.close();
    throw error;
  }
  return socket;
}

/** Connects expecting a refusal; resolves with the `connect_error`'s `data`. */
export async function refusedConnect(
  url: string,
  options: Partial<ManagerOptions & SocketOptions> = {},
): Promise<ConnectErrorData | undefined> {
  try {
    const socket = await connectSocket(url, options);
    socket.close();
  } catch (error) {
    return (error as { data?: ConnectErrorData }).data;
  }
  throw new Error('the handshake was accepted');
}
