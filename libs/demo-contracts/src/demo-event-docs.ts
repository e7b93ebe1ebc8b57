import {
  ackSchema,
  type IoauthClientEvents,
  type IoauthServerEvents,
  type SocketEventDocs,
} from '@ioauth/contracts';

import type { DemoClientEvents, DemoServerEvents } from './demo-events.js';

/** The demo's own server events, described for the AsyncAPI document (ioauth's are described by ioauth). */
export const DEMO_SERVER_EVENT_DOCS = {
  'chat:message': {
    summary: 'A chat line, broadcast to every socket of `/` on every node.',
    namespaces: ['/'],
    payload: {
      type: 'object',
      required: ['from', 'text', 'at'],
      properties: {
        from: { type: 'string' },
        text: { type: 'string' },
        at: { type: 'string', format: 'date-time' },
      },
    },
  },
} as const satisfies SocketEventDocs<Omit<DemoServerEvents, keyof IoauthServerEvents>>;

/** The demo's own client events, described for the AsyncAPI document. */
export const DEMO_CLIENT_EVENT_DOCS = {
  'chat:send': {
    summary: 'Say something on `/` (scope `chat:write`): broadcast as chat:message.',
    namespaces: ['/'],
    payload: {
      type: 'object',
      required: ['text'],
      properties: { text: { type: 'string', minLength: 1, maxLength: 1000 } },
    },
    ack: ackSchema(),
  },
  'sessions:kick': {
    summary: 'Close every socket of a user, cluster-wide (role `admin`).',
    namespaces: ['/admin'],
    payload: {
      type: 'object',
      required: ['sub'],
      properties: { sub: { type: 'string', minLength: 1, maxLength: 128 } },
    },
    ack: ackSchema(),
  },
} as const satisfies SocketEventDocs<Omit<DemoClientEvents, keyof IoauthClientEvents>>;
