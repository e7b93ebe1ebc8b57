/** How much bench:scale does; `--small` runs every step at a few hundred sockets, to check the harness in CI. */
export interface ScalePlan {
  /**
   * Handshakes in flight at once, per load process. More than a few dozen over all of them only queue on two cores,
   * and a queued handshake that passes socket.io-client's 20 s timeout is tried again, wasting the work.
   */
  inFlight: number;
  /** One gateway process holding `sockets`, opened by `loads` processes, then idle for `idleMs`. */
  hold: { sockets: number; loads: number; idleMs: number };
  /** `gateways` processes over Redis holding `sockets` from `loads` processes; broadcasts and cross-node kicks. */
  cluster: {
    gateways: number;
    sockets: number;
    loads: number;
    idleMs: number;
    broadcasts: number;
    kicks: number;
    /** A broadcast to every socket this often while the kicks run: the load the kicks are measured under. */
    broadcastEveryMs: number;
  };
  /** `@ioauth/client` sockets on a gateway that is killed and replaced. */
  reconnect: { sockets: number; loads: number };
  /** `@ioauth/client` sockets whose first tokens live `lifetimeS` and expire within the same second. */
  expiry: { sockets: number; loads: number; lifetimeS: number };
  /** Sockets over 2 gateways, revoked at once: one session each, then one user holding them all. */
  revocation: { sockets: number; loads: number };
}

export const SCALE_PLAN: ScalePlan = {
  inFlight: 16,
  hold: { sockets: 19_000, loads: 2, idleMs: 10_000 },
  cluster: {
    gateways: 6,
    sockets: 100_000,
    loads: 8,
    idleMs: 10_000,
    broadcasts: 3,
    kicks: 20,
    // Every 10 s: a broadcast costs the load processes, on the same two cores, about 3 s of CPU to read 100,000
    // messages; every 2 s starved them and the gateways alike, and heartbeats went unanswered on both sides.
    broadcastEveryMs: 10_000,
  },
  reconnect: { sockets: 10_000, loads: 2 },
  // A refresh window of 20 s (a third of the lifetime): the warnings come 40 s after the first token, once all
  // 10,000 sockets are connected.
  expiry: { sockets: 10_000, loads: 2, lifetimeS: 60 },
  revocation: { sockets: 10_000, loads: 2 },
};

export const SMALL_SCALE_PLAN: ScalePlan = {
  inFlight: 16,
  hold: { sockets: 300, loads: 2, idleMs: 1_000 },
  cluster: {
    gateways: 6,
    sockets: 600,
    loads: 3,
    idleMs: 1_000,
    broadcasts: 2,
    kicks: 3,
    broadcastEveryMs: 500,
  },
  reconnect: { sockets: 200, loads: 2 },
  expiry: { sockets: 200, loads: 2, lifetimeS: 15 },
  revocation: { sockets: 200, loads: 2 },
};
