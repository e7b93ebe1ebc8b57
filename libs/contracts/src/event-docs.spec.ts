import { IOAUTH_CLIENT_EVENT_DOCS, IOAUTH_SERVER_EVENT_DOCS, type SocketEventDocs } from './event-docs.js';
import type { Ack, IoauthClientEvents, IoauthServerEvents } from './events.js';

type OrderEvents = {
  'order:updated': (order: { id: string }) => void;
  'order:watch': (id: string, ack: (result: Ack) => void) => void;
};
const payload = { type: 'string' };

// Each declaration below must fail to compile; `tsc -p libs/contracts/tsconfig.spec.json` checks that it does.
// @ts-expect-error: an event of the map without its description,
const _missing: SocketEventDocs<OrderEvents> = { 'order:updated': { summary: 'u', payload } };
const _extra: SocketEventDocs<OrderEvents> = {
  'order:updated': { summary: 'u', payload },
  'order:watch': { summary: 'w', payload, ack: payload },
  // @ts-expect-error: a description of an event in no map,
  'order:deleted': { summary: 'd', payload },
};
const _noAck: SocketEventDocs<OrderEvents> = {
  'order:updated': { summary: 'u', payload },
  // @ts-expect-error: an acked event described without its ack,
  'order:watch': { summary: 'w', payload },
};
const _ackOnBroadcast: SocketEventDocs<OrderEvents> = {
  // @ts-expect-error: nor an ack on an event that takes none.
  'order:updated': { summary: 'u', payload, ack: payload },
  'order:watch': { summary: 'w', payload, ack: payload },
};

describe('event descriptions', () => {
  it("describe every event of ioauth's maps", () => {
    const server: Record<keyof IoauthServerEvents, unknown> = IOAUTH_SERVER_EVENT_DOCS;
    const client: Record<keyof IoauthClientEvents, unknown> = IOAUTH_CLIENT_EVENT_DOCS;
    expect(Object.keys(server).sort()).toEqual(['auth:error', 'auth:expiring', 'exception']);
    expect(Object.keys(client).sort()).toEqual(['auth:refresh', 'whoami']);
  });

  it('give every acked event the error half of its acknowledgement', () => {
    for (const { ack } of Object.values(IOAUTH_CLIENT_EVENT_DOCS))
      expect(ack.oneOf[1]).toMatchObject({ required: ['error'] });
  });
});
