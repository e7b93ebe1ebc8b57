import type { ConnectionState } from '@ioauth/client';
import type { ChatMessage } from '@ioauth/demo-contracts';

import { grantsText } from './account-messages.js';
import { DevicesView } from './devices-view.js';
import { byId } from './dom.js';
import { clockTime } from './messages.js';
import { PasswordView } from './password-view.js';

const STATE_TEXT: Record<ConnectionState, string> = {
  idle: 'not connected',
  connecting: 'connecting…',
  connected: 'connected',
  reconnecting: 'reconnecting…',
  unauthorized: 'signed out',
  closed: 'closed',
};

/**
 * The signed-in part of the page. Besides the visible text it keeps counters in `data-*` attributes (connections,
 * disconnects, refreshes, the token's expiry) so that the e2e suite can assert what happened, not only what shows.
 */
export class SessionView {
  readonly devices = new DevicesView();
  readonly password = new PasswordView();
  private readonly section = byId('session-view', HTMLElement);
  private readonly welcome = byId('welcome', HTMLHeadingElement);
  private readonly state = byId('connection-state', HTMLSpanElement);
  private readonly remaining = byId('token-remaining', HTMLSpanElement);
  private readonly refreshStatus = byId('refresh-status', HTMLSpanElement);
  private readonly logoutButton = byId('logout', HTMLButtonElement);
  private readonly messages = byId('chat-messages', HTMLOListElement);
  private readonly chatForm = byId('chat-form', HTMLFormElement);
  private readonly chatText = byId('chat-text', HTMLInputElement);
  private readonly chatSend = byId('chat-send', HTMLButtonElement);
  private readonly chatError = byId('chat-error', HTMLParagraphElement);
  private readonly grants = byId('grants', HTMLSpanElement);
  private current: ConnectionState = 'idle';
  private grantChanges = 0;
  private connects = 0;
  private disconnects = 0;
  private refreshes = 0;

  /** Calls `send` with the message's text; resolves to the error to show, or undefined once sent. */
  onSend(send: (text: string) => Promise<string | undefined>): void {
    this.chatForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = this.chatText.value.trim();
      if (text === '') return;
      this.chatSend.disabled = true;
      void send(text)
        .then((error) => {
          this.chatError.textContent = error ?? '';
          if (error === undefined) this.chatText.value = '';
        })
        .finally(() => {
          this.chatSend.disabled = false;
          this.chatText.focus();
        });
    });
  }

  onLogout(logout: () => Promise<void>): void {
    this.logoutButton.addEventListener('click', () => {
      this.logoutButton.disabled = true;
      void logout().finally(() => (this.logoutButton.disabled = false));
    });
  }

  /** Shows the view, reset, for a newly signed-in user. */
  show(name: string): void {
    this.current = 'idle';
    this.connects = this.disconnects = this.refreshes = 0;
    this.welcome.textContent = `Welcome ${name}!`;
    this.setState('idle');
    this.refreshStatus.textContent = 'none yet';
    this.refreshStatus.dataset['count'] = '0';
    this.messages.replaceChildren();
    this.chatError.textContent = '';
    this.chatText.value = '';
    this.grantChanges = 0;
    this.grants.textContent = '–';
    this.grants.dataset['changes'] = '0';
    this.devices.reset();
    this.password.reset(name);
    this.section.hidden = false;
    // Focus follows the view change: the heading says who is signed in.
    this.welcome.focus();
  }

  hide(): void {
    this.section.hidden = true;
  }

  setState(state: ConnectionState): void {
    if (this.current === 'connected' && state !== 'connected') this.disconnects += 1;
    if (state === 'connected') this.connects += 1;
    this.current = state;
    this.state.dataset['state'] = state;
    this.state.dataset['connects'] = String(this.connects);
    this.state.dataset['disconnects'] = String(this.disconnects);
    this.state.textContent = STATE_TEXT[state];
  }

  /** Shows the access token's remaining lifetime; `expiresAt` in ms since the epoch. */
  setExpiry(expiresAt: number | undefined, now = Date.now()): void {
    if (expiresAt === undefined) {
      this.remaining.textContent = '–';
      delete this.remaining.dataset['exp'];
      return;
    }
    const seconds = Math.max(0, Math.ceil((expiresAt - now) / 1000));
    this.remaining.textContent = seconds > 0 ? `${seconds} s` : 'expired';
    this.remaining.dataset['exp'] = String(expiresAt);
    this.remaining.dataset['expired'] = String(seconds === 0);
  }

  /** Counts an in-band refresh; `exp` in seconds since the epoch, as the server acked it. */
  recordRefresh(exp: number, now = Date.now()): void {
    this.refreshes += 1;
    this.refreshStatus.dataset['count'] = String(this.refreshes);
    const times = this.refreshes === 1 ? 'once' : `${this.refreshes} times`;
    this.refreshStatus.textContent = `refreshed ${times}, last at ${clockTime(now)}, new exp ${clockTime(exp * 1000)}`;
  }

  /** Shows the token's grants; `changed` when the server cut them during the session (the socket's `grants`). */
  setGrants(
    grants: { scope: readonly string[]; roles: readonly string[] },
    changed = false,
    now = Date.now(),
  ): void {
    if (changed) this.grantChanges += 1;
    this.grants.dataset['changes'] = String(this.grantChanges);
    this.grants.dataset['scope'] = grants.scope.join(' ');
    this.grants.dataset['roles'] = grants.roles.join(' ');
    this.grants.textContent = changed
      ? `${grantsText(grants)} (changed at ${clockTime(now)})`
      : grantsText(grants);
  }

  addMessage(message: ChatMessage): void {
    const item = document.createElement('li');
    item.dataset['testid'] = 'chat-message';
    item.dataset['from'] = message.from;
    const from = document.createElement('strong');
    from.textContent = message.from;
    const at = document.createElement('time');
    at.dateTime = message.at;
    at.textContent = clockTime(Date.parse(message.at));
    // textContent, never innerHTML: a message is whatever another user typed.
    const text = document.createElement('span');
    text.dataset['testid'] = 'chat-message-text';
    text.textContent = message.text;
    item.append(from, ' ', at, ': ', text);
    this.messages.append(item);
    item.scrollIntoView({ block: 'nearest' });
  }
}
