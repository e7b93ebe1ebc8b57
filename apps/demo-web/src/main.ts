import { SessionTokens } from '@ioauth/client';

import { DemoSession } from './demo-session.js';
import { LoginView } from './login-view.js';
import { loginErrorText } from './messages.js';
import { SessionView } from './session-view.js';

// The page is served by the ioauth server itself: the HTTP API and the gateway are on the same origin.
const baseUrl = location.origin;
// Tokens travel in headers, never cookies; and without credentials mode, a 401 that carries
// `WWW-Authenticate: Basic` (a wrong password) reaches the page instead of opening the browser's own login dialog
// (Fetch standard, HTTP-network-or-cache fetch: the prompt needs includeCredentials).
const fetchWithoutCredentials: typeof fetch = (input, init) => fetch(input, { ...init, credentials: 'omit' });
const login = new LoginView();
const view = new SessionView();
let session: DemoSession | undefined;

login.onSubmit(async (username, password) => {
  // A new SessionTokens per login: the tokens of an ended session are dropped with it (memory only, no storage).
  const tokens = new SessionTokens({ baseUrl, fetch: fetchWithoutCredentials });
  try {
    await tokens.login(username, password);
  } catch (error) {
    return loginErrorText(error);
  }
  session = await DemoSession.start(tokens, view, username, (notice) => {
    session = undefined;
    view.hide();
    login.show(notice);
  });
  login.hide();
  return undefined;
});

view.onSend((text) => session?.send(text) ?? Promise.resolve('Not sent: you are signed out.'));
view.onLogout(() => session?.logout() ?? Promise.resolve());
