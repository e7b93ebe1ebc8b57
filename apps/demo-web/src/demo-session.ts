import { IoauthSocket, isIoauthError, type SessionTokens } from '@ioauth/client';
import type { MeResponse } from '@ioauth/contracts';
import type { ChatMessage, DemoClientEvents, DemoServerEvents } from '@ioauth/demo-contracts';

import { devicesErrorText, passwordErrorText } from './account-messages.js';
import { logoutFailedText, sendErrorText, signedOutText } from './messages.js';
import type { SessionView } from './session-view.js';

/** Who the server says the token is for, from `GET /auth/me`: the normalised name, not what was typed. */
async function whoIsIt(baseUrl: string, tokens: SessionTokens): Promise<MeResponse | undefined> {
  try {
    const response = await fetch(new URL('/auth/me', baseUrl), {
      headers: { authorization: `Bearer ${await tokens.accessToken()}` },
      credentials: 'omit',
    });
    return response.ok ? ((await response.json()) as MeResponse) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One signed-in session: the SDK's socket on `/`, the token's countdown and grants, the chat, the user's devices and
 * the password form, shown in the session view. It ends by logout or by the socket's `unauthorized`; either way
 * `onEnd` gets what the login form should say.
 */
export class DemoSession {
  private readonly socket: IoauthSocket<DemoServerEvents, DemoClientEvents>;
  private readonly ticker: ReturnType<typeof setInterval>;
  private readonly unsubscribe: (() => void)[];
  private ended = false;

  private constructor(
    private readonly tokens: SessionTokens,
    private readonly view: SessionView,
    private scopes: readonly string[],
    private readonly onEnd: (notice: string) => void,
    baseUrl: string,
  ) {
    this.socket = new IoauthSocket<DemoServerEvents, DemoClientEvents>({
      url: new URL('/', baseUrl).toString(),
      tokens,
      // One server and a handful of pages: back within seconds of a restart matters more here than the SDK's 30 s
      // cap, which spreads the reconnections of many clients. The jitter stays.
      socket: { reconnectionDelayMax: 5_000 },
    });
    const onMessage = (message: ChatMessage) => view.addMessage(message);
    this.socket.socket.on('chat:message', onMessage);
    this.unsubscribe = [
      this.socket.on('state', (state) => view.setState(state)),
      this.socket.on('refreshed', ({ exp }) => {
        view.recordRefresh(exp);
        view.setExpiry(tokens.expiresAt);
      }),
      this.socket.on('grants', (grants) => {
        this.scopes = grants.scope;
        view.setGrants(grants, true);
      }),
      this.socket.on('unauthorized', (error) => {
        // The server may still hold the session (a refused handshake): end it there too; a revoked one answers 200
        // as well. A failure adds nothing the user can act on to the reason shown.
        tokens.logout().catch(() => undefined);
        this.end(signedOutText(error));
      }),
      () => this.socket.socket.off('chat:message', onMessage),
    ];
    this.ticker = setInterval(() => view.setExpiry(tokens.expiresAt), 1000);
  }

  /** Shows the session view for tokens just obtained by a login or restored by `resume()`, and connects. */
  static async start(
    tokens: SessionTokens,
    view: SessionView,
    fallbackName: string,
    onEnd: (notice: string) => void,
    baseUrl = location.origin,
  ): Promise<DemoSession> {
    const me = await whoIsIt(baseUrl, tokens);
    const scopes = me?.scope.split(' ').filter(Boolean) ?? [];
    const session = new DemoSession(tokens, view, scopes, onEnd, baseUrl);
    view.show(me?.sub ?? fallbackName);
    if (me) view.setGrants({ scope: scopes, roles: me.roles });
    view.setExpiry(tokens.expiresAt);
    session.socket.connect();
    void session.loadDevices();
    return session;
  }

  /** Fetches the user's sessions into the devices section. */
  async loadDevices(): Promise<void> {
    if (this.ended) return;
    this.view.devices.loading();
    try {
      const sessions = await this.tokens.sessions();
      if (!this.ended) this.view.devices.show(sessions);
    } catch (error) {
      if (!this.ended) this.view.devices.showError(devicesErrorText(error));
    }
  }

  /** Ends another device's session (its page learns why from its socket), then lists the devices again. */
  endDevice(sid: string): Promise<void> {
    return this.changeDevices(() => this.tokens.endSession(sid));
  }

  endOtherDevices(): Promise<void> {
    return this.changeDevices(() => this.tokens.endOtherSessions());
  }

  /** Changes the password; resolves to the error to show, or undefined once changed (this session goes on). */
  async changePassword(current: string, next: string): Promise<{ text: string; code?: string } | undefined> {
    try {
      await this.tokens.changePassword(current, next);
    } catch (error) {
      return { text: passwordErrorText(error), code: isIoauthError(error) ? error.code : undefined };
    }
    // The other devices were signed out.
    void this.loadDevices();
    return undefined;
  }

  /** Sends a chat message; resolves to the error to show, or undefined once the server accepted it. */
  async send(text: string): Promise<string | undefined> {
    if (this.socket.state !== 'connected') return `Not sent: the connection is ${this.socket.state}.`;
    try {
      const ack = await this.socket.socket.timeout(10_000).emitWithAck('chat:send', { text });
      return 'error' in ack ? sendErrorText(ack.error, this.scopes) : undefined;
    } catch {
      return 'Not sent: the server did not answer in time.';
    }
  }

  /**
   * Logs out: the socket first, so that the revocation it causes is not reported as a surprise. The page's session
   * ends either way (the SDK has forgotten the tokens); the notice says whether the server confirmed.
   */
  async logout(): Promise<void> {
    if (this.ended) return;
    this.socket.close();
    try {
      await this.tokens.logout();
      this.end('You are logged out.');
    } catch (error) {
      this.end(logoutFailedText(error));
    }
  }

  private async changeDevices(change: () => Promise<void>): Promise<void> {
    if (this.ended) return;
    try {
      await change();
    } catch (error) {
      await this.loadDevices();
      if (!this.ended) this.view.devices.showError(devicesErrorText(error));
      return;
    }
    await this.loadDevices();
  }

  private end(notice: string): void {
    if (this.ended) return;
    this.ended = true;
    // Detached first: the view keeps this session's last state (`unauthorized` says more than `closed`), and a late
    // event of this socket cannot touch the next session's view.
    for (const off of this.unsubscribe) off();
    clearInterval(this.ticker);
    this.socket.close();
    this.onEnd(notice);
  }
}
