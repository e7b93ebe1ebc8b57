import { IoauthSocket, SessionTokens } from '@ioauth/client';

import type { Order, OrderClientEvents, OrderServerEvents } from '../orders/order-events.js';

// A typed client of the app, as its frontend would run it: log in, watch the tenant's orders, place one, hear it
// come back, and print each step as a JSON line. Usage: orders-client <url> <username> <password> <tenant> <item>

const [url = '', username = '', password = '', tenant = '', item = ''] = process.argv.slice(2);
const say = (line: Record<string, unknown>) => console.log(JSON.stringify(line));

const tokens = new SessionTokens({ baseUrl: url });
await tokens.login(username, password);
const live = new IoauthSocket<OrderServerEvents, OrderClientEvents>({ url: `${url}/`, tokens });
live.on('unauthorized', (error) => say({ step: 'unauthorized', code: error.code }));
const ownOrder = new Promise<Order>((resolve) =>
  live.socket.on('order:updated', (order) => {
    if (order.by === username) resolve(order);
  }),
);
const connected = new Promise<void>((resolve) =>
  live.on('state', (state) => state === 'connected' && resolve()),
);
live.connect();
await connected;

const watched = await live.socket.emitWithAck('orders:watch', { tenant });
say({ step: 'watch', result: watched });
const placed = 'error' in watched ? watched : await live.socket.emitWithAck('order:place', { item });
if (!('error' in watched)) say({ step: 'place', result: placed });
if (!('error' in placed)) say({ step: 'order', order: await ownOrder });
live.close();
await tokens.logout();
process.exit('error' in placed ? 1 : 0);
