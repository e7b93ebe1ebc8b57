import { Logger } from '@nestjs/common';

import { closeRedis, replyWithin, type RedisClient } from './redis-connection.js';

/** How a channel reads its messages: a validator that returns the message, or undefined for one not ours. */
export interface ChannelFormat<T> {
  /** Suffix of `ioauth:<namespace>:<name>`, and the channel's name in warnings. */
  name: string;
  /** Validates a parsed message and returns what listeners get. */
  read(value: unknown): T | undefined;
  /** Hand a published message to this process's listeners at once, not only when Redis echoes it. */
  deliverLocally: boolean;
}

/** A subscribed channel and what closes its subscriber connection. */
export interface Listening<B> {
  bus: B;
  close(): Promise<void>;
}

/**
 * One JSON message type over Redis pub/sub, namespaced `ioauth:<namespace>:<name>` so that deployments sharing a
 * Redis never hear each other. Malformed messages are dropped with a warning that never quotes them. Listeners must
 * be idempotent: with `deliverLocally` the publisher's own listeners hear a message twice.
 */
export class RedisChannel<T> {
  private readonly listeners = new Set<(message: T) => void>();
  private readonly gapListeners = new Set<() => void>();
  private readonly logger: Logger;

  protected constructor(
    private readonly publisher: RedisClient,
    private readonly channel: string,
    private readonly format: ChannelFormat<T>,
  ) {
    this.logger = new Logger(new.target.name);
  }

  /** Subscribes a second connection (a subscribed connection can run nothing else) and returns what closes it. */
  protected async listen(): Promise<Listening<this>> {
    const subscriber = this.publisher.duplicate();
    subscriber.on('error', () => undefined);
    // Every `ready` after the first follows a reconnect: what was published meanwhile never reached this process.
    let connected = false;
    subscriber.on('ready', () => {
      if (connected) for (const listener of this.gapListeners) listener();
      connected = true;
    });
    await subscriber.connect();
    await subscriber.subscribe(this.channel, (message) => this.receive(message));
    return { bus: this, close: () => closeRedis(subscriber) };
  }

  async publish(message: T): Promise<void> {
    if (this.format.deliverLocally) this.deliver(message);
    await replyWithin(this.publisher.publish(this.channel, JSON.stringify(message)));
  }

  subscribe(listener: (message: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` after each reconnect of the subscriber, when messages may have been missed. */
  onGap(listener: () => void): () => void {
    this.gapListeners.add(listener);
    return () => this.gapListeners.delete(listener);
  }

  private receive(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const message = this.format.read(parsed);
    if (message === undefined)
      this.logger.warn(`ignored a malformed message on the ${this.format.name} channel`);
    else this.deliver(message);
  }

  private deliver(message: T): void {
    for (const listener of this.listeners) listener(message);
  }
}

/** The channel name of a namespace. */
export const channelName = (namespace: string, name: string) => `ioauth:${namespace}:${name}`;
