import type { Ack, WithIoauthClientEvents, WithIoauthServerEvents } from './events.js';

interface Order {
  id: string;
  total: number;
}

type ServerEvents = WithIoauthServerEvents<{ 'order:updated': (order: Order) => void }>;
type ClientEvents = WithIoauthClientEvents<{
  'order:watch': (id: string, ack: (result: Ack<Order>) => void) => void;
}>;

// Each declaration below must fail to compile; `tsc -p libs/contracts/tsconfig.spec.json` checks that it does.
// @ts-expect-error: an app cannot give ioauth's `auth:error` another payload,
type _OtherPayload = WithIoauthServerEvents<{ 'auth:error': (reason: string) => void }>;
// @ts-expect-error: nor drop the payload of ioauth's `auth:expiring`,
type _NoPayload = WithIoauthServerEvents<{ 'auth:expiring': () => void }>;
// @ts-expect-error: nor make the ack of ioauth's `whoami` optional.
type _OptionalAck = WithIoauthClientEvents<{ whoami: (ack?: (result: unknown) => void) => void }>;
// @ts-expect-error: an event maps to its listener, not to its payload.
type _NotAListener = WithIoauthServerEvents<{ 'order:updated': Order }>;
// @ts-expect-error: `order:deleted` is in no map.
type _Unknown = ServerEvents['order:deleted'];
// @ts-expect-error: `order:updated` carries an Order, not a string.
const _wrongPayload: ServerEvents['order:updated'] = (order: string) => order;

describe('event maps', () => {
  it("type an app's events next to ioauth's own", () => {
    const seen: unknown[] = [];
    const onOrder: ServerEvents['order:updated'] = (order) => seen.push(order.total);
    const onExpiring: ServerEvents['auth:expiring'] = ({ exp }) => seen.push(exp);
    const watch: ClientEvents['order:watch'] = (id, ack) => ack({ id, total: 0 });
    const whoami: ClientEvents['whoami'] = (ack) => ack({ error: { code: 'forbidden', message: 'no' } });
    onOrder({ id: 'o1', total: 42 });
    onExpiring({ exp: 1, reason: 'grants_changed' });
    watch('o2', (result) => seen.push(result));
    whoami((result) => seen.push('error' in result && result.error.code));
    expect(seen).toEqual([42, 1, { id: 'o2', total: 0 }, 'forbidden']);
  });

  it("accept an app map that restates one of ioauth's events unchanged", () => {
    type Restated = WithIoauthServerEvents<{
      'auth:expiring': (payload: { exp: number; reason?: 'grants_changed' }) => void;
    }>;
    const seen: number[] = [];
    const onExpiring: Restated['auth:expiring'] = ({ exp }) => seen.push(exp);
    onExpiring({ exp: 7 });
    expect(seen).toEqual([7]);
  });
});
