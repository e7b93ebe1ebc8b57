import { Logger } from '@nestjs/common';
import type { Socket } from 'socket.io';

import { hasGrants } from '@ioauth/auth-core';

import type { WsIdentity } from '../identity/ws-identity.js';
import type { RoomPolicyRule } from '../ws-auth.options.js';
import { roomPolicy } from './namespace-policies.js';

/** An answer of a policy: a promise only when an application's predicate answered with one. */
export type Verdict = boolean | Promise<boolean>;

/** What every policy has: grants, and optionally a predicate of the application's own. */
interface Policy<Identity, Context> {
  roles?: readonly string[] | undefined;
  scopes?: readonly string[] | undefined;
  allow?(identity: Identity, context: Context): boolean | Promise<boolean>;
}

/** The context every predicate gets: the socket, and the namespace, room or event it judges. */
interface Judged {
  socket: Pick<Socket, 'nsp'>;
  namespace?: string;
  room?: string;
  event?: string;
}

// A predicate that never settles (a hung database call) must not hold a handshake, a join or an event for ever.
const PREDICATE_TIMEOUT_MS = 5_000;
const logger = new Logger('WsAuth');

/**
 * Whether an identity meets a policy: its roles and scopes (none are asked of an anonymous socket, so callers
 * that need a user check that first), then its predicate through `askPredicate`. Synchronous unless the predicate
 * answers with a promise, so that the paths without one pay no tick.
 */
export function admits<Identity extends WsIdentity | undefined, Context extends Judged>(
  policy: Policy<Identity, Context>,
  identity: Identity,
  context: Context,
): Verdict {
  const granted =
    identity === undefined ? !policy.roles?.length && !policy.scopes?.length : hasGrants(identity, policy);
  if (!granted) return false;
  return policy.allow === undefined ? true : askPredicate(policy.allow.bind(policy), identity, context);
}

/**
 * Asks an application's predicate, failing closed: only exactly `true` (or a promise of it) admits. A throw, a
 * rejection or no answer within 5 s refuses and is logged as an error naming the namespace, room or event, never
 * the identity, the token or the payload (even an error's message may quote the payload, as `JSON.parse`'s do).
 */
export function askPredicate<Identity, Context extends Judged>(
  predicate: (identity: Identity, context: Context) => unknown,
  identity: Identity,
  context: Context,
): Verdict {
  let answer: unknown;
  try {
    answer = predicate(identity, context);
    if (answer === true || answer === false) return answer;
    if (isThenable(answer)) return settle(answer, context);
  } catch (error) {
    report(context, 'policy predicate threw: refused', error);
    return false;
  }
  warnNotBoolean(context);
  return false;
}

/** Whether a socket may be in a room: no rule covers it, or it has a user who meets the first rule that does. */
export function mayHoldRoom(
  rules: readonly RoomPolicyRule[],
  identity: WsIdentity | undefined,
  room: string,
  socket: Socket,
): Verdict {
  const rule = roomPolicy(rules, room);
  if (rule === undefined) return true;
  if (identity === undefined) return false;
  return admits(rule, identity, { room, socket });
}

/** Each room's verdict as a boolean: synchronously unless a predicate answered with a promise. */
export function mayHoldRooms(
  rules: readonly RoomPolicyRule[],
  identity: WsIdentity | undefined,
  rooms: readonly string[],
  socket: Socket,
): boolean[] | Promise<boolean[]> {
  const verdicts = rooms.map((room) => mayHoldRoom(rules, identity, room, socket));
  return verdicts.every((verdict) => typeof verdict === 'boolean')
    ? (verdicts as boolean[])
    : Promise.all(verdicts);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function settle(answer: PromiseLike<unknown>, context: Judged): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let settled = false;
    const decide = (admitted: boolean, refusal?: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      refusal?.();
      resolve(admitted);
    };
    const timer = setTimeout(
      () => decide(false, () => report(context, 'policy predicate did not answer in time: refused')),
      PREDICATE_TIMEOUT_MS,
    );
    timer.unref();
    Promise.resolve(answer).then(
      (value) =>
        value === true || value === false ? decide(value) : decide(false, () => warnNotBoolean(context)),
      (error: unknown) => decide(false, () => report(context, 'policy predicate rejected: refused', error)),
    );
  });
}

function warnNotBoolean(context: Judged): void {
  logger.warn({ msg: 'policy predicate answered neither true nor false: refused', ...where(context) });
}

function report(context: Judged, msg: string, error?: unknown): void {
  const errorType = error === undefined ? {} : { error: error instanceof Error ? error.name : typeof error };
  logger.error({ msg, ...where(context), ...errorType });
}

// Names only: the socket, the identity and an event's data stay out of the logs.
function where(context: Judged): Record<string, string> {
  const names: Record<string, string> = { namespace: context.namespace ?? context.socket.nsp.name };
  if (context.room !== undefined) names['room'] = context.room;
  if (context.event !== undefined) names['event'] = context.event;
  return names;
}
