import type { Ack, WithIoauthClientEvents, WithIoauthServerEvents } from '@ioauth/contracts';

/** A chat line as broadcast by the demo's `chat:message`. */
export interface ChatMessage {
  from: string;
  text: string;
  /** ISO 8601 time the server accepted the message. */
  at: string;
}

/** Events the demo's server emits: ioauth's, and `chat:message` to everyone on `/` (shared/CONTRACT.md). */
export type DemoServerEvents = WithIoauthServerEvents<{
  'chat:message': (message: ChatMessage) => void;
}>;

/**
 * Events the demo's clients emit: ioauth's, `chat:send` on `/` (scope `chat:write`) and `sessions:kick` on
 * `/admin` (role `admin`); a refused one is acked `forbidden`, or `invalid_payload` when malformed.
 */
export type DemoClientEvents = WithIoauthClientEvents<{
  'chat:send': (payload: { text: string }, ack?: (result: Ack) => void) => void;
  'sessions:kick': (payload: { sub: string }, ack?: (result: Ack) => void) => void;
}>;
