import type { Ack, WithIoauthClientEvents, WithIoauthServerEvents } from '@ioauth/contracts';

/** A chat line as every socket of the namespace receives it. */
export interface ChatMessage {
  from: string;
  text: string;
}

/** The app's events on top of ioauth's, typed once for the gateway and the browser. */
export type ServerEvents = WithIoauthServerEvents<{ 'chat:message': (message: ChatMessage) => void }>;
export type ClientEvents = WithIoauthClientEvents<{
  'chat:send': (body: { text: string }, ack: (result: Ack) => void) => void;
}>;
