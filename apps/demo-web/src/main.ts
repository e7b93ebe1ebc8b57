import { SessionTokens } from '@ioauth/client';

import { resumeFailedText } from './account-messages.js';
import { DemoSession } from './demo-session.js';
import { byId } from './dom.js';
import { LoginView } from './login-view.js';
import { loginErrorText } from './messages.js';
import { SessionView } from './session-view.js';

// The page is served by the ioauth server itself: the HTTP API and the gateway are on the same origin.
const baseUrl = location.origin;
const resumeStatus = byId('resume-status', HTMLParagraphElement);
const login = new LoginView();
const view = new SessionView();
let session: DemoSession | undefined;

// A new SessionTokens per session: the tokens of an ended one are dropped with it (memory only, no storage). The
// refresh token stays in the server's HttpOnly cookie when the server is in cookie mode, so that a reload resumes;
// otherwise the SDK keeps it in memory and a reload asks for a login.
const newTokens = () => new SessionTokens({ baseUrl, refreshCookie: true });

async function begin(tokens: SessionTokens, fallbackName: string): Promise<void> {
  session = await DemoSession.start(tokens, view, fallbackName, (notice) => {
    session = undefined;
    view.hide();
    login.show(notice);
  });
  login.hide();
}

login.onSubmit(async (username, password) => {
  const tokens = newTokens();
  try {
    await tokens.login(username, password);
  } catch (error) {
    return loginErrorText(error);
  }
  await begin(tokens, username);
  return undefined;
});

view.onSend((text) => session?.send(text) ?? Promise.resolve('Not sent: you are signed out.'));
view.onLogout(() => session?.logout() ?? Promise.resolve());
view.devices.onEnd((sid) => session?.endDevice(sid) ?? Promise.resolve());
view.devices.onEndOthers(() => session?.endOtherDevices() ?? Promise.resolve());
view.devices.onReload(() => session?.loadDevices() ?? Promise.resolve());
view.password.onSubmit(
  (current, next) =>
    session?.changePassword(current, next) ?? Promise.resolve({ text: 'You are signed out.' }),
);

// A reload: the session the cookie holds, if any, else the login form (with why, when the server could not say).
const tokens = newTokens();
let notice = '';
try {
  if (await tokens.resume()) await begin(tokens, 'you');
} catch (error) {
  notice = resumeFailedText(error);
}
resumeStatus.hidden = true;
if (!session) login.show(notice, { focus: false });
