import { randomBytes } from 'node:crypto';

import { redisAvailable, startRedisServer, TEST_REDIS_URL, type RedisProcess } from '@ioauth/test-support';

import type { Clock, KeySetChange, Revocation } from '@ioauth/auth-core';

import { RedisKeySetBus } from './redis-key-set.bus.js';
import { RedisRateLimitStore } from './redis-rate-limit.store.js';
import { RedisRevocationBus } from './redis-revocation.bus.js';
import {
  closeRedis,
  connectRedis,
  RedisReplyTimeoutError,
  replyWithin,
  type RedisClient,
} from './redis-connection.js';

const NOW = 1_800_000_000;

/** A clock that stands still. */
class FrozenClock implements Clock {
  constructor(private readonly seconds: number = NOW) {}

  now(): number {
    return this.seconds * 1000;
  }
}

const available = await redisAvailable();
// Each run in its own namespace, as two deployments sharing one Redis would be.
const namespace = `spec-${randomBytes(6).toString('hex')}`;

(available ? describe : describe.skip)('over Redis', () => {
  let first: RedisClient;
  let second: RedisClient;
  beforeAll(async () => {
    [first, second] = await Promise.all([connectRedis(TEST_REDIS_URL), connectRedis(TEST_REDIS_URL)]);
  });
  afterAll(async () => {
    await Promise.all([first.close(), second.close()]);
  });

  describe('RedisRevocationBus', () => {
    it('carries a revocation from one process to another, and to its own listeners at once', async () => {
      const [a, b] = await Promise.all([
        RedisRevocationBus.create(first, namespace),
        RedisRevocationBus.create(second, namespace),
      ]);
      try {
        const local: Revocation[] = [];
        a.bus.subscribe((revocation) => local.push(revocation));
        const remote = new Promise<Revocation>((resolve) => b.bus.subscribe(resolve));
        const revocation: Revocation = {
          kind: 'session',
          sid: 's1',
          sub: 'alice',
          reason: 'logout',
          at: NOW * 1000,
        };
        await a.bus.publish(revocation);
        expect(local[0]).toEqual(revocation);
        expect(await remote).toEqual(revocation);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('keeps deployments with different issuers apart on one Redis', async () => {
      const [ours, theirs] = await Promise.all([
        RedisRevocationBus.create(first, namespace),
        RedisRevocationBus.create(second, `${namespace}-other`),
      ]);
      try {
        const received: Revocation[] = [];
        const ownArrived = new Promise<void>((resolve) =>
          ours.bus.subscribe((revocation) => {
            received.push(revocation);
            if (revocation.sub === 'ours') resolve();
          }),
        );
        // Published in this order on one connection, theirs would reach us first if it reached us at all.
        await theirs.bus.publish({ kind: 'user', sub: 'theirs', reason: 'admin', at: 1 });
        await second.publish(
          `ioauth:${namespace}:revocations`,
          JSON.stringify({ kind: 'user', sub: 'ours', reason: 'admin', at: 2 }),
        );
        await ownArrived;
        expect(received.map((revocation) => revocation.sub)).toEqual(['ours']);
      } finally {
        await Promise.all([ours.close(), theirs.close()]);
      }
    });

    it('ignores a malformed message instead of failing', async () => {
      const { bus, close } = await RedisRevocationBus.create(second, namespace);
      try {
        const received: Revocation[] = [];
        const valid = new Promise<void>((resolve) =>
          bus.subscribe((revocation) => {
            received.push(revocation);
            resolve();
          }),
        );
        await first.publish(`ioauth:${namespace}:revocations`, '{"kind":"session"');
        await first.publish(`ioauth:${namespace}:revocations`, JSON.stringify({ kind: 'user', sub: 42 }));
        for (const malformed of [
          { kind: 'user', sub: 'bob', reason: 'admin', at: 1, exceptSid: 7 },
          { kind: 'grants', sub: 'bob', reason: 'grants_changed', at: 1, scopes: 'chat:read', roles: [] },
          { kind: 'grants', sub: 'bob', reason: 'grants_changed', at: 1, scopes: [], roles: [1] },
        ])
          await first.publish(`ioauth:${namespace}:revocations`, JSON.stringify(malformed));
        const grants = {
          kind: 'grants',
          sub: 'bob',
          reason: 'grants_changed',
          at: 1,
          scopes: ['a'],
          roles: [],
        };
        await first.publish(`ioauth:${namespace}:revocations`, JSON.stringify(grants));
        await first.publish(
          `ioauth:${namespace}:revocations`,
          JSON.stringify({ kind: 'user', sub: 'bob', reason: 'admin', at: 1 }),
        );
        await valid;
        await new Promise<void>((resolve) => {
          if (received.length >= 2) resolve();
          else bus.subscribe(() => received.length >= 2 && resolve());
        });
        expect(received).toEqual([grants, { kind: 'user', sub: 'bob', reason: 'admin', at: 1 }]);
      } finally {
        await close();
      }
    });
  });

  describe('RedisKeySetBus', () => {
    const KID = 'k'.repeat(43);

    it('tells every process of the issuer, the announcing one included, and no other issuer', async () => {
      const [a, b, other] = await Promise.all([
        RedisKeySetBus.create(first, namespace),
        RedisKeySetBus.create(second, namespace),
        RedisKeySetBus.create(second, `${namespace}-other`),
      ]);
      try {
        const heard: string[] = [];
        other.bus.subscribe(() => heard.push('other'));
        const received = (bus: RedisKeySetBus) =>
          new Promise<KeySetChange>((resolve) => bus.subscribe(resolve));
        const [atA, atB] = [received(a.bus), received(b.bus)];
        await a.bus.publish({ kid: KID });
        expect(await atA).toEqual({ kid: KID });
        expect(await atB).toEqual({ kid: KID });
        // Ours was published first: had the other issuer's subscriber heard it, it would have heard it before its own.
        const after = received(other.bus);
        await other.bus.publish({ kid: KID });
        await after;
        expect(heard).toEqual(['other']);
      } finally {
        await Promise.all([a.close(), b.close(), other.close()]);
      }
    });

    it('ignores a malformed message or a kid not shaped like a thumbprint', async () => {
      const { bus, close } = await RedisKeySetBus.create(second, namespace);
      try {
        const received: KeySetChange[] = [];
        const valid = new Promise<void>((resolve) =>
          bus.subscribe((change) => {
            received.push(change);
            resolve();
          }),
        );
        for (const message of ['{"kid"', JSON.stringify({ kid: 42 }), JSON.stringify({ kid: '../x' })])
          await first.publish(`ioauth:${namespace}:keys`, message);
        await first.publish(`ioauth:${namespace}:keys`, JSON.stringify({ kid: KID, extra: 'ignored' }));
        await valid;
        expect(received).toEqual([{ kid: KID }]);
      } finally {
        await close();
      }
    });
  });

  describe('RedisRateLimitStore', () => {
    it('shares one counter between processes, with the window set by the first hit', async () => {
      const clock = new FrozenClock();
      const a = new RedisRateLimitStore(first, clock, namespace);
      const b = new RedisRateLimitStore(second, clock, namespace);
      const key = `spec:${randomBytes(6).toString('hex')}`;
      expect((await a.increment(key, 60_000)).count).toBe(1);
      const window = await b.increment(key, 60_000);
      expect(window.count).toBe(2);
      expect(window.resetAt).toBeGreaterThan(clock.now() + 55_000);
      expect((await a.peek(key))?.count).toBe(2);
      await b.reset(key);
      expect(await a.peek(key)).toBeUndefined();
    });
  });

  describe('replyWithin', () => {
    it('takes a reply that came in time even when a busy event loop runs the timer late', async () => {
      const reply = replyWithin(first.ping(), 50);
      // The loop is held past the timeout (a reconnect storm on two cores), while Redis answers at once: the
      // reply waits in the socket buffer, and the overdue timer runs before the loop reads it.
      const until = Date.now() + 200;
      while (Date.now() < until) {
        // busy
      }
      await expect(reply).resolves.toBe('PONG');
    });
  });
});

(available ? describe : describe.skip)('a Redis that stops answering, or goes away', () => {
  let redis: RedisProcess;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    redis.thaw();
    await redis.stop();
  });

  it('fails a rate-limit count and a publish without a reply, and closes their client, instead of waiting', async () => {
    const client = await connectRedis(redis.url);
    const limits = new RedisRateLimitStore(client, new FrozenClock(NOW), namespace);
    const { bus, close } = await RedisRevocationBus.create(client, namespace);
    redis.freeze();
    try {
      await expect(limits.increment('login:ip:127.0.0.1', 60_000)).rejects.toBeInstanceOf(
        RedisReplyTimeoutError,
      );
      await expect(
        bus.publish({ kind: 'user', sub: 'alice', reason: 'logout', at: NOW }),
      ).rejects.toBeInstanceOf(RedisReplyTimeoutError);
      // node-redis's own close() would wait for the replies of those commands for ever.
      await close();
      await closeRedis(client);
      expect(client.isOpen).toBe(false);
    } finally {
      redis.thaw();
    }
  }, 15_000);

  it('sends every publish of a length-bounded connection however long it waited to be written', async () => {
    const [timed, queued] = await Promise.all([connectRedis(redis.url), connectRedis(redis.url, 'length')]);
    const channel = `spec:burst:${randomBytes(4).toString('hex')}`;
    // Megabytes of messages against a frozen Redis fill the socket buffers: what is left waits to be written, past
    // the 2 s a time-bounded connection allows, as 10,000 cross-node disconnects did on a busy gateway.
    const payload = 'x'.repeat(4096);
    const burst = (client: RedisClient) =>
      Array.from({ length: 2_000 }, () => replyWithin(client.publish(channel, payload), 30_000));
    redis.freeze();
    const timedPublishes = burst(timed);
    const timedOut = Promise.allSettled(timedPublishes);
    const sent = Promise.allSettled(burst(queued));
    // Frozen until the time-bounded connection gives up on a publish: the other one's have waited as long.
    await Promise.any(
      timedPublishes.map((publish) =>
        publish.then(
          () => Promise.reject(),
          () => undefined,
        ),
      ),
    );
    redis.thaw();
    const [lost, kept] = await Promise.all([timedOut, sent]);
    expect(kept.filter((result) => result.status === 'rejected')).toHaveLength(0);
    expect(lost.filter((result) => result.status === 'rejected').length).toBeGreaterThan(0);
    await Promise.all([timed, queued].map((client) => closeRedis(client)));
  }, 20_000);

  it('closes a client whose Redis went away at once, and a closed client without error', async () => {
    const client = await connectRedis(redis.url);
    const lost = new Promise((resolve) => client.once('error', resolve));
    await redis.stop();
    await lost;
    await closeRedis(client);
    expect(client.isOpen).toBe(false);
    await closeRedis(client);
  });
});
