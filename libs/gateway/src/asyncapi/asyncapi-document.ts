import {
  CONNECT_ERROR_CODES,
  CONNECT_ERROR_SCHEMA,
  IOAUTH_CLIENT_EVENT_DOCS,
  IOAUTH_SERVER_EVENT_DOCS,
  type SocketEventDoc,
} from '@ioauth/contracts';

import type { AsyncApiOptions } from './asyncapi.options.js';

/** An AsyncAPI 3.0 document, as plain JSON. */
export interface AsyncApiDocument {
  asyncapi: '3.0.0';
  [field: string]: unknown;
}

type Direction = 'send' | 'receive';
interface Described extends SocketEventDoc {
  event: string;
  // The application's view (AsyncAPI 3.0 section "Operation Object"): the server sends what clients receive.
  action: Direction;
}

const CONNECT_ERROR: Described = {
  event: 'connect_error',
  action: 'send',
  summary:
    'The handshake was refused (socket.io CONNECT_ERROR packet): the client gets an Error whose `data.code` says why.',
  payload: CONNECT_ERROR_SCHEMA,
};

// Component names allow only `[\w.-]` (AsyncAPI 3.0 "Components Object"); socket.io event names are free text.
const idOf = (name: string) => name.replace(/[^\w.-]/g, '.');
const channelIdOf = (namespace: string) => (namespace === '/' ? 'root' : `ns.${idOf(namespace.slice(1))}`);
const ref = (...path: string[]) => ({
  $ref: `#/${path.map((part) => part.replaceAll('/', '~1')).join('/')}`,
});

function described(events: Readonly<Record<string, SocketEventDoc>>, action: Direction): Described[] {
  return Object.entries(events).map(([event, doc]) => ({ ...doc, event, action }));
}

const messageIds = ({ event, ack }: Described) => [idOf(event), ...(ack ? [`${idOf(event)}.ack`] : [])];

function messagesOf(events: readonly Described[]): Record<string, unknown> {
  const messages: Record<string, unknown> = {};
  const add = (id: string, message: Record<string, unknown>) => {
    // Two event names that differ only in characters a component name cannot hold would share one id.
    if (id in messages) throw new Error(`two socket events map to the AsyncAPI message ${id}`);
    messages[id] = message;
  };
  for (const { event, summary, payload, ack } of events) {
    add(idOf(event), { name: event, summary, ...(payload ? { payload } : {}) });
    if (ack)
      add(`${idOf(event)}.ack`, {
        name: `${event} ack`,
        summary: `Acknowledgement of ${event}.`,
        payload: ack,
      });
  }
  return messages;
}

/**
 * The AsyncAPI 3.0 document of an app's socket events: one channel per namespace (its `address`), one message per
 * event name, an operation per event and direction, an event's ack as the operation's `reply`; ioauth's own events
 * (auth:expiring, auth:error, exception, auth:refresh, whoami) and the handshake's `connect_error` on every
 * namespace, the app's events where their `namespaces` say.
 * @throws Error when two event names differ only in characters an AsyncAPI component name cannot hold.
 */
export function asyncApiDocument(options: AsyncApiOptions = {}): AsyncApiDocument {
  const events = [
    CONNECT_ERROR,
    ...described(IOAUTH_SERVER_EVENT_DOCS, 'send'),
    ...described(IOAUTH_CLIENT_EVENT_DOCS, 'receive'),
    ...described(options.serverEvents ?? {}, 'send'),
    ...described(options.clientEvents ?? {}, 'receive'),
  ];
  const namespaces = [
    ...new Set(['/', ...(options.namespaces ?? []), ...events.flatMap((doc) => doc.namespaces ?? [])]),
  ];
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const namespace of namespaces) {
    const channel = channelIdOf(namespace);
    const here = events.filter((doc) => !doc.namespaces || doc.namespaces.includes(namespace));
    channels[channel] = {
      address: namespace,
      title: `namespace ${namespace}`,
      messages: Object.fromEntries(
        here.flatMap(messageIds).map((id) => [id, ref('components', 'messages', id)]),
      ),
    };
    for (const { event, action, summary, ack } of here) {
      operations[`${channel}.${action}.${idOf(event)}`] = {
        action,
        summary,
        channel: ref('channels', channel),
        messages: [ref('channels', channel, 'messages', idOf(event))],
        ...(ack
          ? {
              reply: {
                channel: ref('channels', channel),
                messages: [ref('channels', channel, 'messages', `${idOf(event)}.ack`)],
              },
            }
          : {}),
      };
    }
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: options.title ?? 'ioauth socket.io gateway',
      version: options.version ?? '0.1.0',
      description:
        'socket.io v4 events. Every handshake carries an access token (see the security scheme) and every event ' +
        'is checked against its scopes and roles; acknowledgements are `{"error":{"code","message"}}` when refused.',
    },
    defaultContentType: 'application/json',
    servers: {
      ioauth: {
        host: options.host ?? 'localhost:3000',
        protocol: 'ws',
        pathname: '/socket.io',
        description: 'socket.io v4 (Engine.IO 4) over WebSocket, or HTTP long-polling first.',
        security: [ref('components', 'securitySchemes', 'accessToken')],
      },
    },
    channels,
    operations,
    components: {
      messages: messagesOf(events),
      securitySchemes: {
        accessToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'The access token of POST /auth/login, in the handshake `auth.token` (what clients should use), else ' +
            `an \`Authorization: Bearer\` header. A refusal is connect_error with \`data.code\` one of ${CONNECT_ERROR_CODES.join(', ')}.`,
        },
      },
    },
  };
}
