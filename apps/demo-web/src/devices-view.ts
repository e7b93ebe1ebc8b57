import type { SessionInfo } from '@ioauth/contracts';

import { deviceName, devicesHeadingText } from './account-messages.js';
import { byId } from './dom.js';

/** When a session was last used, in the reader's time zone. */
function lastUsed(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return 'unknown';
  return at.toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

/**
 * "Signed in on N devices": the user's sessions, this one marked, each other one with an End button. `data-state`
 * on the section (`loading`, `ready`, `error`) and `data-sid`/`data-current` on each item are for the e2e suite.
 */
export class DevicesView {
  private readonly section = byId('devices', HTMLElement);
  private readonly heading = byId('devices-heading', HTMLHeadingElement);
  private readonly list = byId('device-list', HTMLUListElement);
  private readonly endOthers = byId('devices-end-others', HTMLButtonElement);
  private readonly reload = byId('devices-reload', HTMLButtonElement);
  private readonly error = byId('devices-error', HTMLParagraphElement);

  /** Calls `end` with the sid of the device whose End button was pressed. */
  onEnd(end: (sid: string) => Promise<void>): void {
    this.list.addEventListener('click', (event) => {
      const button = (event.target as Element).closest('button[data-sid]');
      if (!(button instanceof HTMLButtonElement) || button.dataset['sid'] === undefined) return;
      button.disabled = true;
      void end(button.dataset['sid']);
    });
  }

  onEndOthers(endOthers: () => Promise<void>): void {
    this.endOthers.addEventListener('click', () => void endOthers());
  }

  onReload(reload: () => Promise<void>): void {
    this.reload.addEventListener('click', () => void reload());
  }

  /** Marks the list as being fetched; the buttons wait. */
  loading(): void {
    this.section.dataset['state'] = 'loading';
    this.list.setAttribute('aria-busy', 'true');
    this.endOthers.disabled = this.reload.disabled = true;
  }

  show(sessions: readonly SessionInfo[]): void {
    // This device first, then the most recently used.
    const sorted = [...sessions].sort(
      (a, b) => Number(b.current) - Number(a.current) || b.last_used_at.localeCompare(a.last_used_at),
    );
    this.heading.textContent = devicesHeadingText(sorted.length);
    this.heading.dataset['count'] = String(sorted.length);
    this.list.replaceChildren(...sorted.map((session) => this.item(session)));
    this.endOthers.hidden = !sorted.some((session) => !session.current);
    this.error.textContent = '';
    this.ready('ready');
  }

  showError(text: string): void {
    this.error.textContent = text;
    this.ready('error');
  }

  /** Empties the section for the next user. */
  reset(): void {
    this.heading.textContent = 'Your devices';
    this.heading.dataset['count'] = '0';
    this.list.replaceChildren();
    this.endOthers.hidden = true;
    this.error.textContent = '';
    this.section.dataset['state'] = 'idle';
  }

  private ready(state: 'ready' | 'error'): void {
    this.section.dataset['state'] = state;
    this.list.setAttribute('aria-busy', 'false');
    this.endOthers.disabled = this.reload.disabled = false;
  }

  // textContent only: a user agent is whatever the client that logged in sent.
  private item(session: SessionInfo): HTMLLIElement {
    const item = document.createElement('li');
    item.dataset['testid'] = 'device';
    item.dataset['sid'] = session.sid;
    item.dataset['current'] = String(session.current);
    const name = document.createElement('strong');
    name.textContent = deviceName(session.user_agent);
    name.title = session.user_agent ?? '';
    const details = document.createElement('span');
    details.className = 'device-details';
    details.textContent = `${session.ip ?? 'unknown address'} · last used ${lastUsed(session.last_used_at)}`;
    item.append(name, ' ', details);
    if (session.current) {
      const mark = document.createElement('em');
      mark.className = 'this-device';
      mark.textContent = 'this device';
      item.append(' ', mark);
      return item;
    }
    const end = document.createElement('button');
    end.type = 'button';
    end.dataset['sid'] = session.sid;
    end.dataset['testid'] = 'device-end';
    end.textContent = 'End';
    // The visible "End" is named for screen readers by the device it ends.
    end.setAttribute('aria-label', `End the session of ${name.textContent}, ${details.textContent}`);
    item.append(' ', end);
    return item;
  }
}
