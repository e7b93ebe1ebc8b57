import { setTimeout as sleep } from 'node:timers/promises';

import { browserAvailable } from './browser.js';
import { demoSuite, SLOW } from './demo-suite.js';

const TTL = 5;

// The demo page of `npm start` in Debian's chromium, against a real server process with 5-second access tokens,
// so that every case runs while the page refreshes its token in-band every few seconds. The server keeps no refresh
// cookie (the default), so the page, which asks for cookie mode, keeps its refresh token in memory. The last case
// restarts the process in place: same port, same data folder.
(browserAvailable() ? describe : describe.skip)(`demo page in a browser, on ${TTL}-second tokens`, () => {
  const suite = demoSuite({ IOAUTH_ACCESS_TOKEN_TTL: String(TTL) });
  const open = () => suite.open();

  it('is served at / with a strict Content-Security-Policy, and leaves unknown API routes to the API', async () => {
    const page = await fetch(`${suite.server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    // Websockets to its own origin only: the page below connects under this very policy.
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self';");
    expect(page.headers.get('x-powered-by')).toBeNull();
    expect(await page.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    for (const path of ['/auth/nope', '/health/nope', '/.well-known/nope', '/metrics', '/nope']) {
      const response = await fetch(`${suite.server.url}${path}`);
      expect([path, response.status, await response.json()]).toEqual([
        path,
        404,
        expect.objectContaining({ code: 'not_found' }),
      ]);
    }
    expect((await fetch(`${suite.server.url}/health/live`)).status).toBe(200);
  });

  it('says "Wrong username or password" and keeps the form', async () => {
    const page = await open();
    expect(await page.submitLogin('alice', 'not-her-password')).toBe(401);
    await page.loginError.filter({ hasText: 'Wrong username or password.' }).waitFor();
    expect(await page.sessionView.isHidden()).toBe(true);
    await page.screenshot('login-error');
  });

  it(
    'lets alice chat with bob, who reads her and is told why he cannot send, then logs out',
    async () => {
      const [alice, bob] = await Promise.all([open(), open()]);
      await Promise.all([alice.login('alice'), bob.login('bob')]);
      expect(await alice.welcome.textContent()).toBe('Welcome alice!');
      expect(await alice.focused()).toBe('welcome');

      await alice.send('hello bob');
      await Promise.all([alice.waitForMessage('hello bob'), bob.waitForMessage('hello bob')]);
      expect(await bob.messages.first().getAttribute('data-from')).toBe('alice');
      await alice.screenshot('chat-alice');

      await bob.send('hi alice');
      await bob.chatError.filter({ hasText: 'forbidden: you cannot send (missing chat:write)' }).waitFor();
      await bob.screenshot('chat-bob-forbidden');
      // Broadcasts arrive in order: had bob's message gone out, it would come before alice's next one.
      await alice.send('still there?');
      await bob.waitForMessage('still there?');
      expect(await alice.messages.allTextContents()).toHaveLength(2);
      expect(await bob.messages.allTextContents()).toHaveLength(2);

      await bob.page.getByRole('button', { name: 'Log out' }).click();
      await bob.loginNotice.filter({ hasText: 'You are logged out.' }).waitFor();
      expect(await bob.sessionView.isHidden()).toBe(true);
      expect(await bob.state.getAttribute('data-state')).toBe('closed');
      expect(await bob.focused()).toBe('login-heading');
      await bob.screenshot('logged-out');
    },
    SLOW,
  );

  it(
    'says so when the server does not confirm a logout, and still leaves the session view',
    async () => {
      const page = await open();
      await page.login('alice');
      // The server falls over just as the user logs out: every revocation request fails.
      await page.page.route('**/auth/revoke', (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ statusCode: 503, code: 'service_unavailable', message: 'down' }),
        }),
      );
      await page.page.getByRole('button', { name: 'Log out' }).click();
      await page.loginNotice
        .filter({
          hasText: 'the session may stay active on the server until it expires (service_unavailable)',
        })
        .waitFor();
      expect(await page.sessionView.isHidden()).toBe(true);
      expect(await page.focused()).toBe('login-heading');
      await page.screenshot('logout-unconfirmed');
    },
    SLOW,
  );

  it(
    'shows why when the session is logged out elsewhere (token_revoked), and returns to the login form',
    async () => {
      const page = await open();
      await page.login('alice');
      // Another tab or device of the same session logs out; the test plays it with the session's access token.
      const logout = await fetch(`${suite.server.url}/auth/logout`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await page.accessToken()}` },
      });
      expect(logout.status).toBe(204);
      await page.loginNotice
        .filter({ hasText: 'Signed out: this session was ended from another device' })
        .waitFor();
      expect(await page.state.getAttribute('data-state')).toBe('unauthorized');
      expect(await page.sessionView.isHidden()).toBe(true);
      expect(await page.loginView.isVisible()).toBe(true);
      expect(await page.focused()).toBe('login-heading');
      await page.screenshot('logged-out-elsewhere');
    },
    SLOW,
  );

  it(
    'stays connected for 20 s, the token refreshed in-band',
    async () => {
      const page = await open();
      await page.login('alice');
      const firstExp = await page.numberOf(page.remaining, 'exp');
      // The observation window is the behaviour under test: four lifetimes of the first token.
      await sleep(20_000);
      expect(await page.numberOf(page.refreshStatus, 'count')).toBeGreaterThanOrEqual(3);
      expect(await page.state.getAttribute('data-state')).toBe('connected');
      expect(await page.numberOf(page.state, 'connects')).toBe(1);
      expect(await page.numberOf(page.state, 'disconnects')).toBe(0);
      expect(await page.numberOf(page.remaining, 'exp')).toBeGreaterThan(firstExp + 10_000);
      expect(await page.refreshStatus.textContent()).toMatch(
        /^refreshed \d+ times, last at [\d:]{8}, new exp/,
      );
      await page.screenshot('refreshed-connected');
    },
    SLOW,
  );

  it('reconnects by itself with a fresh token after the server restarts on the same port, and shows no error', async () => {
    const page = await open();
    await page.login('alice');
    await suite.server.stop();
    await page.waitForState('reconnecting');
    await page.screenshot('restart-reconnecting');
    // The token expires while the server is down: the page must get a new one to reconnect.
    await page.page.locator('[data-testid="token-remaining"][data-expired="true"]').waitFor();
    const staleExp = await page.numberOf(page.remaining, 'exp');

    await suite.restart();
    // The page's backoff (1 s doubling, up to 5 s, with jitter) decides when it tries again.
    await page.waitForState('connected', { connects: 2, timeout: 20_000 });
    // The lifetime display follows the session on its one-second tick: wait for it to show the new token.
    await page.page.waitForFunction(
      (stale) =>
        Number(document.querySelector('[data-testid="token-remaining"]')?.getAttribute('data-exp')) > stale,
      staleExp,
      { timeout: 5_000 },
    );
    expect(await page.numberOf(page.remaining, 'exp')).toBeGreaterThan(staleExp);
    expect(await page.numberOf(page.state, 'disconnects')).toBe(1);
    expect(await page.loginNotice.textContent()).toBe('');
    await page.send('back after the restart');
    await page.waitForMessage('back after the restart');
    expect(await page.chatError.textContent()).toBe('');
    await page.screenshot('restart-reconnected');
  }, 90_000);
});
