import { DiagnosticSeverity, Parser } from '@asyncapi/parser';

import { CONNECT_ERROR_CODES } from '@ioauth/contracts';
import { DEMO_CLIENT_EVENT_DOCS, DEMO_SERVER_EVENT_DOCS } from '@ioauth/demo-contracts';

import { asyncApiDocument } from './asyncapi-document.js';

const demo = () =>
  asyncApiDocument({
    namespaces: ['/public'],
    serverEvents: DEMO_SERVER_EVENT_DOCS,
    clientEvents: DEMO_CLIENT_EVENT_DOCS,
  });

async function errorsOf(document: object): Promise<string[]> {
  const diagnostics = await new Parser().validate(JSON.parse(JSON.stringify(document)));
  return diagnostics
    .filter(({ severity }) => severity === DiagnosticSeverity.Error)
    .map(({ message, path }) => `${path.join('.')}: ${message}`);
}

// What a client reads off the document: per namespace, the events it may send (receive) and must expect (send).
function eventsOf(document: ReturnType<typeof asyncApiDocument>, namespace: string) {
  const channels = document['channels'] as Record<string, { address: string }>;
  const channel = Object.keys(channels).find((id) => channels[id]?.address === namespace);
  const messages = (document['components'] as { messages: Record<string, { name: string }> }).messages;
  const operations = Object.values(
    document['operations'] as Record<
      string,
      { action: string; channel: { $ref: string }; messages: { $ref: string }[]; reply?: unknown }
    >,
  ).filter((operation) => operation.channel.$ref === `#/channels/${channel}`);
  const named = (action: string) =>
    operations
      .filter((operation) => operation.action === action)
      .map((operation) => {
        const name = messages[operation.messages[0]?.$ref.split('/').pop() ?? '']?.name;
        return operation.reply ? `${name} (acked)` : name;
      })
      .sort();
  return { sent: named('send'), received: named('receive') };
}

describe('asyncApiDocument', () => {
  it("is a valid AsyncAPI 3.0 document with ioauth's events alone", async () => {
    expect(await errorsOf(asyncApiDocument())).toEqual([]);
  });

  it('is a valid AsyncAPI 3.0 document with the demo events', async () => {
    expect(await errorsOf(demo())).toEqual([]);
  });

  it("puts ioauth's events and the handshake refusal on every namespace, the demo's where they live", () => {
    const document = demo();
    const ioauth = {
      sent: ['auth:error', 'auth:expiring', 'connect_error', 'exception'],
      received: ['auth:refresh (acked)', 'whoami (acked)'],
    };
    expect(eventsOf(document, '/')).toEqual({
      sent: [...ioauth.sent, 'chat:message'].sort(),
      received: ['chat:send (acked)', ...ioauth.received].sort(),
    });
    expect(eventsOf(document, '/admin')).toEqual({
      sent: ioauth.sent,
      received: [...ioauth.received, 'sessions:kick (acked)'].sort(),
    });
    expect(eventsOf(document, '/public')).toEqual(ioauth);
  });

  it('lists every handshake refusal code a connect_error may carry', () => {
    const messages = (demo()['components'] as { messages: Record<string, { payload?: unknown }> }).messages;
    expect(messages['connect_error']?.payload).toMatchObject({
      properties: { data: { properties: { code: { enum: [...CONNECT_ERROR_CODES] } } } },
    });
  });

  it("refuses an app event named like one of ioauth's rather than describe it twice", () => {
    expect(() =>
      asyncApiDocument({ serverEvents: { 'auth.error': { summary: 'mine', payload: { type: 'object' } } } }),
    ).toThrow('auth.error');
  });
});
