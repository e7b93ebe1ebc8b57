import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import type { BrowserContext, Locator, Page } from 'playwright-core';

import type { TokenResponse } from '@ioauth/contracts';

import { OUTPUT_DIR } from './browser.js';

/** Where the screenshots of the demo's states are copied when `IOAUTH_SCREENSHOTS` is set, for a change's notes. */
export const SCREENS_DIR = '/tmp/ioauth-screens';

/** The demo page as a user sees it, found by label, role and `data-testid`. */
export class DemoPage {
  /** Uncaught errors of the page's script: a test fails on any. */
  readonly errors: Error[] = [];
  private latestTokens: Promise<TokenResponse> | undefined;
  readonly loginView: Locator;
  readonly loginError: Locator;
  readonly loginNotice: Locator;
  readonly sessionView: Locator;
  readonly welcome: Locator;
  readonly state: Locator;
  readonly remaining: Locator;
  readonly refreshStatus: Locator;
  readonly messages: Locator;
  readonly chatError: Locator;
  readonly grants: Locator;
  readonly devices: Locator;
  readonly devicesHeading: Locator;
  readonly deviceItems: Locator;
  readonly devicesError: Locator;
  readonly passwordError: Locator;
  readonly passwordNotice: Locator;

  private constructor(readonly page: Page) {
    page.on('pageerror', (error) => this.errors.push(error));
    // The page keeps its tokens in memory only; the test reads them off the wire to play another tab.
    page.on('response', (response) => {
      if (response.ok() && /\/auth\/(login|token)$/.test(new URL(response.url()).pathname))
        this.latestTokens = response.json() as Promise<TokenResponse>;
    });
    const id = (testId: string) => page.getByTestId(testId);
    this.loginView = id('login-view');
    this.loginError = id('login-error');
    this.loginNotice = id('login-notice');
    this.sessionView = id('session-view');
    this.welcome = id('welcome');
    this.state = id('connection-state');
    this.remaining = id('token-remaining');
    this.refreshStatus = id('refresh-status');
    this.messages = id('chat-message');
    this.chatError = id('chat-error');
    this.grants = id('grants');
    this.devices = id('devices');
    this.devicesHeading = id('devices-heading');
    this.deviceItems = id('device');
    this.devicesError = id('devices-error');
    this.passwordError = id('password-error');
    this.passwordNotice = id('password-notice');
  }

  static async open(context: BrowserContext, url: string): Promise<DemoPage> {
    const page = await context.newPage();
    const demo = new DemoPage(page);
    await page.goto(url);
    return demo;
  }

  /** Submits the login form; resolves with the status the server answered. */
  async submitLogin(username: string, password = `${username}-password`): Promise<number> {
    await this.page.getByLabel('Username').fill(username);
    // Exact: "Current password" and "New password" of the password form are labels too.
    await this.page.getByLabel('Password', { exact: true }).fill(password);
    const response = this.page.waitForResponse((r) => r.url().endsWith('/auth/login'));
    await this.page.getByRole('button', { name: 'Log in' }).click();
    return (await response).status();
  }

  /** Logs in and waits for the socket to connect. */
  async login(username: string, password?: string): Promise<void> {
    const status = await this.submitLogin(username, password);
    if (status !== 200) throw new Error(`the login of ${username} answered ${status}`);
    await this.waitForState('connected');
  }

  /** The access token the page received last (from its login or its latest refresh). */
  async accessToken(): Promise<string> {
    if (!this.latestTokens) throw new Error('the page has no token yet');
    return (await this.latestTokens).access_token;
  }

  /** Waits for the connection state, and optionally for the count of connections so far. */
  async waitForState(state: string, options: { connects?: number; timeout?: number } = {}): Promise<void> {
    const connects = options.connects === undefined ? '' : `[data-connects="${options.connects}"]`;
    await this.page
      .locator(`[data-testid="connection-state"][data-state="${state}"]${connects}`)
      .waitFor({ timeout: options.timeout });
  }

  /** Waits until the page has refreshed its token in-band `count` times since it showed this session. */
  async waitForRefreshes(count: number, timeout = 15_000): Promise<void> {
    await this.page.waitForFunction(
      (least) =>
        Number(document.querySelector('[data-testid="refresh-status"]')?.getAttribute('data-count')) >= least,
      count,
      { timeout },
    );
  }

  /** Reloads the page, as the user's F5 does. */
  async reload(): Promise<void> {
    await this.page.reload();
  }

  /** Waits for the devices section to list `count` devices, and resolves with their sids, this device's first. */
  async waitForDevices(count: number): Promise<string[]> {
    await this.page
      .locator(
        `[data-testid="devices"][data-state="ready"] [data-testid="devices-heading"][data-count="${count}"]`,
      )
      .waitFor();
    return (
      await this.deviceItems.evaluateAll((items) => items.map((item) => item.getAttribute('data-sid')))
    ).map(String);
  }

  /** The sid of this page's own session, from the device list. */
  async thisDevice(): Promise<string> {
    const sid = await this.page
      .locator('[data-testid="device"][data-current="true"]')
      .getAttribute('data-sid');
    if (sid === null) throw new Error('the device list does not mark this device');
    return sid;
  }

  /** Asks for the device list again and waits for `count` devices. */
  async reloadDevices(count: number): Promise<string[]> {
    await this.page.getByRole('button', { name: 'Refresh the list' }).click();
    return this.waitForDevices(count);
  }

  /** Presses the End button of the device with this sid. */
  async endDevice(sid: string): Promise<void> {
    await this.page.locator(`[data-testid="device-end"][data-sid="${sid}"]`).click();
  }

  /** Fills and submits the password form. */
  async changePassword(current: string, next: string): Promise<void> {
    await this.page.getByLabel('Current password').fill(current);
    await this.page.getByLabel('New password').fill(next);
    await this.page.getByRole('button', { name: 'Change password' }).click();
  }

  async send(text: string): Promise<void> {
    await this.page.getByLabel('Message').fill(text);
    await this.page.getByRole('button', { name: 'Send' }).click();
  }

  /** Waits for a chat message with this text. */
  async waitForMessage(text: string): Promise<Locator> {
    const message = this.messages.filter({ hasText: text });
    await message.waitFor();
    return message;
  }

  /** A `data-*` attribute of a locator, as a number. */
  async numberOf(locator: Locator, attribute: string): Promise<number> {
    return Number(await locator.getAttribute(`data-${attribute}`));
  }

  /** The id of the focused element. */
  focused(): Promise<string | undefined> {
    return this.page.evaluate(() => document.activeElement?.id);
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: join(OUTPUT_DIR, `${name}.png`), fullPage: true });
    if (process.env['IOAUTH_SCREENSHOTS'] === undefined) return;
    await mkdir(SCREENS_DIR, { recursive: true });
    await this.page.screenshot({ path: join(SCREENS_DIR, `${name}.png`), fullPage: true });
  }
}
