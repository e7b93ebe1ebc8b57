import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Socket } from 'socket.io';

import { AuthEvents, IOAUTH_CLOCK, type Clock } from '@ioauth/auth-core';

import { answerRefusal } from '../guards/event-refusal.js';
import { wsIdentity } from '../identity/ws-identity.js';
import { socketClosed } from '../lifecycle/socket-closed.event.js';
import { WS_AUTH_OPTIONS } from '../ws-auth.module-definition.js';
import type { EventBudget, WsAuthOptions } from '../ws-auth.options.js';
import { fullBucket, take, type Bucket } from './token-bucket.js';

// A chat or a game sends a few events a second; a client that reconnects and replays its queue, a few hundred.
const DEFAULT_EVENTS: EventBudget = { perSecond: 100, burst: 200 };
// A client refreshes once per token lifetime, which may be a few seconds (the demo e2e runs 5-second tokens: a
// refresh every 3.3 s), and retries after a network blip must still pass; 30 a minute of signature checks is
// nothing next to a handshake, while 5000 forged tokens in a burst are stopped after the fifth.
const DEFAULT_REFRESH: EventBudget = { perSecond: 0.5, burst: 5 };
// Refusals forgiven to a client that overshoots now and then; one that keeps on is closed within a second or two.
const DEFAULT_REFUSALS: EventBudget = { perSecond: 1, burst: 20 };

interface Buckets {
  events: Bucket;
  refresh?: Bucket;
  refusals?: Bucket;
}

function checkedBudget(name: string, rate: EventBudget | undefined, fallback: EventBudget): EventBudget {
  if (rate === undefined) return fallback;
  const { perSecond, burst } = rate;
  if (!(Number.isFinite(perSecond) && perSecond > 0 && Number.isFinite(burst) && burst >= 1))
    throw new Error(`WsAuthModule: ${name} needs a positive finite perSecond and a burst of at least 1`);
  return { perSecond, burst };
}

/**
 * Per-socket event budgets (OWASP ASVS V2.4.1, anti-automation): a token bucket per socket for every event it sends,
 * and a smaller one for `auth:refresh`, each of which costs a signature check. An event over budget never reaches
 * its handler: the client gets the ack error or the `exception` event `rate_limited`; a socket that keeps on after
 * its refusal allowance is spent gets `auth:error` `rate_limited` and is disconnected. A socket's state is made on
 * its first event (an idle socket costs nothing) and holds numbers only: the refill is computed from the clock on
 * the next event, so no socket has a timer.
 */
@Injectable()
export class SocketBudgets {
  private readonly logger = new Logger('WsAuth');
  private readonly buckets = new WeakMap<Socket, Buckets>();
  private readonly events: EventBudget;
  private readonly refresh: EventBudget;
  private readonly refusals: EventBudget;

  constructor(
    @Inject(WS_AUTH_OPTIONS) options: WsAuthOptions,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
    private readonly authEvents: AuthEvents,
  ) {
    this.events = checkedBudget('eventBudget', options.eventBudget, DEFAULT_EVENTS);
    this.refresh = checkedBudget('refreshBudget', options.refreshBudget, DEFAULT_REFRESH);
    this.refusals = checkedBudget('refusalBudget', options.refusalBudget, DEFAULT_REFUSALS);
  }

  /**
   * Charges one event to its socket; false when it is over budget, after answering the refusal (`args` are the
   * listener's arguments, the ack last if the client asked for one). The caller must then not handle the event.
   */
  admit(socket: Socket, event: string, args: readonly unknown[]): boolean {
    const now = this.clock.now();
    let buckets = this.buckets.get(socket);
    if (buckets === undefined) {
      buckets = { events: fullBucket(this.events, now) };
      this.buckets.set(socket, buckets);
    }
    if (take(buckets.events, this.events, now)) return true;
    return this.refuse(socket, buckets, now, event, args, 'too many events: slow down');
  }

  /** `admit` for `auth:refresh`, which is charged to its own, smaller budget as well; call it before any verification. */
  admitRefresh(socket: Socket, args: readonly unknown[]): boolean {
    if (!this.admit(socket, 'auth:refresh', args)) return false;
    const now = this.clock.now();
    const buckets = this.buckets.get(socket) as Buckets;
    buckets.refresh ??= fullBucket(this.refresh, now);
    if (take(buckets.refresh, this.refresh, now)) return true;
    return this.refuse(socket, buckets, now, 'auth:refresh', args, 'too many auth:refresh: slow down');
  }

  private refuse(
    socket: Socket,
    buckets: Buckets,
    now: number,
    event: string,
    args: readonly unknown[],
    message: string,
  ): false {
    if (!socket.connected) return false;
    buckets.refusals ??= fullBucket(this.refusals, now);
    if (!take(buckets.refusals, this.refusals, now)) {
      this.logger.warn({
        msg: 'socket closed: it kept sending over its event budget',
        sub: wsIdentity(socket)?.sub,
        namespace: socket.nsp.name,
        event,
      });
      this.authEvents.emit(socketClosed(socket, 'rate_limited'));
      socket.emit('auth:error', { code: 'rate_limited', message: 'too many events' });
      socket.disconnect();
      return false;
    }
    answerRefusal(socket, args[args.length - 1], event, 'rate_limited', message);
    return false;
  }
}
