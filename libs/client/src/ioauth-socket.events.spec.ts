import type { Ack, WithIoauthClientEvents, WithIoauthServerEvents } from '@ioauth/contracts';

import { IoauthSocket } from './ioauth-socket.js';
import { fakeIo, FakeScheduler, FakeSocket, settle } from './testing/fakes.js';
import { callbackTokenSource } from './tokens/token-source.js';

interface Order {
  id: string;
  total: number;
}

type ServerEvents = WithIoauthServerEvents<{ 'order:updated': (order: Order) => void }>;
type ClientEvents = WithIoauthClientEvents<{
  'order:watch': (id: string, ack: (result: Ack<Order>) => void) => void;
}>;

function appSocket() {
  const fake = new FakeSocket();
  const live = new IoauthSocket<ServerEvents, ClientEvents>({
    url: 'https://app.example/',
    tokens: callbackTokenSource(() => 'access'),
    io: fakeIo(fake),
    scheduler: new FakeScheduler(),
  });
  live.connect();
  fake.fire('connect');
  return { fake, live };
}

// The lines under @ts-expect-error must fail to compile: `tsc -p libs/client/tsconfig.spec.json` checks them.
describe("IoauthSocket typed by an app's event maps", () => {
  it("types the app's events on socket, next to ioauth's", async () => {
    const { fake, live } = appSocket();
    const heard: unknown[] = [];
    live.socket.on('order:updated', (order) => heard.push(order.total));
    live.socket.on('auth:expiring', ({ exp }) => heard.push(exp));
    fake.ackWith = (event, id) => (event === 'order:watch' ? { id, total: 42 } : { exp: 2 });
    fake.fire('order:updated', { id: 'o1', total: 42 });
    fake.fire('auth:expiring', { exp: 1 });
    const watched = await live.socket.emitWithAck('order:watch', 'o2');
    expect('error' in watched ? watched.error.code : watched.total).toBe(42);
    await settle();
    // The SDK still answered `auth:expiring` with its own `auth:refresh`.
    expect(fake.emitted.map(({ event }) => event)).toEqual(['order:watch', 'auth:refresh']);
    expect(heard).toEqual([42, 1]);
  });

  it('refuses an unknown event and a wrong payload', () => {
    const { live } = appSocket();
    // @ts-expect-error: `order:deleted` is in neither map.
    live.socket.on('order:deleted', () => undefined);
    // @ts-expect-error: `order:updated` carries an Order, not a string.
    live.socket.on('order:updated', (order: string) => order);
    // @ts-expect-error: `order:watch` takes the order's id, a string.
    void live.socket.emitWithAck('order:watch', 42);
    // @ts-expect-error: ioauth's `auth:refresh` takes `{token}`, in the app's map too.
    void live.socket.emitWithAck('auth:refresh', { access: 'x' });
    expect(live.state).toBe('connected');
  });

  it("knows only ioauth's events without maps, and refuses maps that leave ioauth's out", () => {
    const fake = new FakeSocket();
    const options = {
      url: 'https://app.example/',
      tokens: callbackTokenSource(() => 'access'),
      io: fakeIo(fake),
    };
    const plain = new IoauthSocket(options);
    plain.socket.on('auth:error', ({ code }) => code);
    // @ts-expect-error: an app's event needs the app's map.
    plain.socket.on('order:updated', () => undefined);
    // @ts-expect-error: build the app's map with WithIoauthServerEvents, which keeps ioauth's events.
    const partial = new IoauthSocket<{ 'order:updated': (order: Order) => void }>(options);
    expect([plain.state, partial.state]).toEqual(['idle', 'idle']);
  });
});
