import { setTimeout as sleep } from 'node:timers/promises';

import type { Request } from 'playwright-core';

import { browserAvailable } from './browser.js';
import { demoSuite, SLOW } from './demo-suite.js';

const TTL = 5;
const NEW_PASSWORD = 'a long new passphrase for alice';
const ENDED_ELSEWHERE = 'Signed out: this session was ended from another device';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

// The demo page against a server in cookie mode (`IOAUTH_REFRESH_COOKIE=true`), on 5-second access tokens so that
// every case runs through in-band refreshes spent with the cookie: a reload resumes the session, a person sees and
// ends their devices, changes their password, and sees their grants cut live. Each case ends the sessions it opens
// that later cases would count.
(browserAvailable() ? describe : describe.skip)(
  'demo page with the refresh cookie: reload, devices, password',
  () => {
    const suite = demoSuite({ IOAUTH_ACCESS_TOKEN_TTL: String(TTL), IOAUTH_REFRESH_COOKIE: 'true' });

    it(
      'keeps alice signed in and connected across a reload, the refresh token out of script’s reach',
      async () => {
        const page = await suite.open();
        await page.login('alice');
        const [sid] = await page.waitForDevices(1);
        const [cookie] = (await page.page.context().cookies()).filter(
          ({ name }) => name === 'ioauth_refresh',
        );
        expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/auth' });
        expect(await page.page.evaluate(() => document.cookie)).not.toContain('ioauth_refresh');

        // Just after an in-band refresh, so that the reload does not cut the next one off on its way.
        await page.waitForRefreshes(1);
        const sent: Request[] = [];
        page.page.on('request', (request) => sent.push(request));
        await page.reload();
        await page.waitForState('connected');
        expect(await page.welcome.textContent()).toBe('Welcome alice!');
        expect(await page.loginView.isHidden()).toBe(true);
        // The same session resumed, not a new login; and it goes on refreshing, with the cookie.
        expect(await page.waitForDevices(1)).toEqual([sid]);
        await page.waitForRefreshes(1);
        const tokenCalls = sent.filter((request) => new URL(request.url()).pathname === '/auth/token');
        expect(tokenCalls.length).toBeGreaterThanOrEqual(2);
        expect(tokenCalls.map((request) => request.postDataJSON() as unknown)).toEqual(
          tokenCalls.map(() => ({ grant_type: 'refresh_token' })),
        );
        expect(sent.some((request) => new URL(request.url()).pathname === '/auth/login')).toBe(false);
        await page.screenshot('resumed-after-reload');

        // Logging out ends the cookie's session too: the next reload asks for a login.
        await page.page.getByRole('button', { name: 'Log out' }).click();
        await page.loginNotice.filter({ hasText: 'You are logged out.' }).waitFor();
        await page.reload();
        await page.loginView.waitFor();
        expect(await page.sessionView.isHidden()).toBe(true);
        expect(await page.loginNotice.textContent()).toBe('');
        await page.screenshot('login-after-logout-and-reload');
      },
      SLOW,
    );

    it(
      'shows alice her two browsers; the second ends the first, which says why, then every other one',
      async () => {
        const first = await suite.open();
        await first.login('alice');
        await first.waitForDevices(1);
        const firstSid = await first.thisDevice();
        const second = await suite.open();
        await second.login('alice');
        const [secondSid, other] = await second.waitForDevices(2);
        expect(other).toBe(firstSid);
        expect(await second.devicesHeading.textContent()).toBe('Signed in on 2 devices');
        expect(await second.deviceItems.first().textContent()).toContain('this device');
        expect(await second.deviceItems.first().getAttribute('data-current')).toBe('true');
        expect(await second.deviceItems.last().textContent()).toMatch(
          /^Chrome on Linux 127\.0\.0\.1 · last used/,
        );
        await second.screenshot('devices-two');

        await second.endDevice(firstSid);
        await first.loginNotice.filter({ hasText: ENDED_ELSEWHERE }).waitFor();
        expect(await first.state.getAttribute('data-state')).toBe('unauthorized');
        expect(await first.sessionView.isHidden()).toBe(true);
        await first.screenshot('device-ended-elsewhere');
        expect(await second.waitForDevices(1)).toEqual([secondSid]);
        expect(await second.state.getAttribute('data-state')).toBe('connected');
        await second.screenshot('devices-one');
        // The ended browser's cookie holds nothing any more.
        await first.reload();
        await first.loginView.waitFor();

        const third = await suite.open();
        await third.login('alice');
        await second.reloadDevices(2);
        await second.page.getByRole('button', { name: 'End all other devices' }).click();
        await third.loginNotice.filter({ hasText: ENDED_ELSEWHERE }).waitFor();
        expect(await second.waitForDevices(1)).toEqual([secondSid]);
        expect(await second.page.getByRole('button', { name: 'End all other devices' }).isHidden()).toBe(
          true,
        );
        expect(await second.numberOf(second.state, 'disconnects')).toBe(0);

        await second.page.getByRole('button', { name: 'Log out' }).click();
        await second.loginNotice.filter({ hasText: 'You are logged out.' }).waitFor();
      },
      SLOW,
    );

    it(
      'refuses a wrong current and a common new password, and a change signs the other browser out only',
      async () => {
        const other = await suite.open();
        await other.login('alice');
        const changing = await suite.open();
        await changing.login('alice');
        await changing.waitForDevices(2);

        await changing.changePassword('not-her-password', NEW_PASSWORD);
        await changing.passwordError
          .filter({ hasText: 'Not changed: the current password is wrong (invalid_credentials).' })
          .waitFor();
        expect(await changing.focused()).toBe('current-password');
        await changing.screenshot('password-wrong-current');
        await changing.changePassword('alice-password', 'password');
        await changing.passwordError
          .filter({ hasText: 'Not changed: the new password is too short or too common (weak_password).' })
          .waitFor();
        expect(await changing.focused()).toBe('new-password');
        await changing.screenshot('password-weak');

        const refreshes = await changing.numberOf(changing.refreshStatus, 'count');
        await changing.changePassword('alice-password', NEW_PASSWORD);
        await changing.passwordNotice
          .filter({ hasText: 'Password changed. Your other devices were signed out.' })
          .waitFor();
        expect(await changing.passwordError.textContent()).toBe('');
        await other.loginNotice.filter({ hasText: ENDED_ELSEWHERE }).waitFor();
        await other.screenshot('signed-out-by-password-change');
        // The browser that changed it stays signed in: the same connection, refreshing on.
        expect(await changing.waitForDevices(1)).toHaveLength(1);
        await changing.waitForRefreshes(refreshes + 1);
        expect(await changing.state.getAttribute('data-state')).toBe('connected');
        expect(await changing.numberOf(changing.state, 'connects')).toBe(1);
        await changing.screenshot('password-changed');

        expect(await other.submitLogin('alice', 'alice-password')).toBe(401);
        await other.login('alice', NEW_PASSWORD);
      },
      SLOW,
    );

    it(
      'shows bob his grants as an admin cuts them, and keeps him connected',
      async () => {
        const bob = await suite.open();
        await bob.login('bob');
        await bob.page.locator('[data-testid="grants"][data-scope="chat:read"]').waitFor();
        // The cut must come in a later second than bob's token: the gateway cannot tell a token minted in the cut's
        // own second from one minted after it, so it narrows that one without a warning. Refreshes come every 3.3 s.
        await bob.waitForRefreshes(1);
        await sleep(1_100);
        const url = suite.server.url;
        const admin = await fetch(`${url}/auth/login`, {
          method: 'POST',
          headers: { authorization: basic('admin', 'admin-password') },
        });
        const { access_token: token } = (await admin.json()) as { access_token: string };
        const patch = await fetch(`${url}/admin/users/bob`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ scopes: [] }),
        });
        expect(patch.status).toBe(200);

        await bob.page.locator('[data-testid="grants"][data-changes="1"]').waitFor();
        expect(await bob.grants.getAttribute('data-scope')).toBe('');
        expect(await bob.grants.textContent()).toMatch(
          /^scopes: none · roles: none \(changed at [\d:]{8}\)$/,
        );
        expect(await bob.state.getAttribute('data-state')).toBe('connected');
        expect(await bob.numberOf(bob.state, 'connects')).toBe(1);
        await bob.screenshot('grants-changed');
      },
      SLOW,
    );
  },
);
