import { IoauthSocket, SessionTokens, isIoauthError } from '@ioauth/client';

import type { ClientEvents, ServerEvents } from './chat-events.js';

// The page's script: log in as the reader (what a login form would send), connect, try to post. Each step prints one
// JSON line, which the e2e reads when it runs the bundle.
const report = (step: string, detail: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ step, ...detail }));

const tokens = new SessionTokens({ baseUrl: location.origin });
const live = new IoauthSocket<ServerEvents, ClientEvents>({ url: `${location.origin}/`, tokens });
try {
  const login = await tokens.login('reader', 'reader-password-for-e2e');
  report('logged in', { scope: login.scope, tokenType: login.token_type });
  const connected = new Promise<void>((resolve, reject) => {
    live.on('state', (state) => state === 'connected' && resolve());
    live.on('unauthorized', reject);
  });
  live.connect();
  await connected;
  report('connected');
  const result = await live.socket.timeout(5_000).emitWithAck('chat:send', { text: 'hello' });
  report('sent', { result });
} catch (error) {
  report('failed', isIoauthError(error) ? { code: error.code } : { message: String(error) });
} finally {
  live.close();
}
