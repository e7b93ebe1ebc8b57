import type { Ack, WithIoauthClientEvents, WithIoauthServerEvents } from '@ioauth/contracts';

/** An order of one tenant. */
export interface Order {
  id: string;
  tenant: string;
  item: string;
  /** Who placed it (`sub`). */
  by: string;
}

/** What the server emits: ioauth's events and the app's. Browser-safe: the client script imports it too. */
export type OrderServerEvents = WithIoauthServerEvents<{
  'order:updated': (order: Order) => void;
}>;

/** What a client emits, with the acknowledgement each answers. */
export type OrderClientEvents = WithIoauthClientEvents<{
  /** Joins the room of a tenant's orders (`tenant:<id>`): of the user's own tenant only. */
  'orders:watch': (payload: { tenant: string }, ack: (result: Ack) => void) => void;
  /** Places an order for the user's tenant; it is broadcast to the tenant's room as `order:updated`. */
  'order:place': (payload: { item: string }, ack: (result: Ack<Order>) => void) => void;
}>;
