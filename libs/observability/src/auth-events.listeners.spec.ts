import { AuthEvents } from '@ioauth/auth-core';

import { MetricsListener } from './auth-events.listeners.js';
import { AuthMetrics } from './auth.metrics.js';

describe('MetricsListener', () => {
  it('counts logins, refreshes, revocations and socket refusals from the event stream', async () => {
    const events = new AuthEvents();
    const metrics = new AuthMetrics();
    const listener = new MetricsListener(events, metrics);
    listener.onModuleInit();
    events.emit({ type: 'login.succeeded', sub: 'alice', sid: 's1' });
    events.emit({ type: 'login.failed', username: 'alice', reason: 'invalid_credentials' });
    events.emit({ type: 'login.failed', reason: 'rate_limited' });
    events.emit({ type: 'refresh.reused', sub: 'alice', sid: 's1' });
    events.emit({ type: 'refresh.failed', reason: 'token_revoked' });
    events.emit({ type: 'user.revoked', sub: 'bob', reason: 'admin_kick', sessions: 2 });
    events.emit({ type: 'socket.refused', namespace: '/', code: 'token_expired' });
    events.emit({ type: 'grants.changed', sub: 'bob' });
    listener.onModuleDestroy();
    events.emit({ type: 'login.succeeded', sub: 'alice', sid: 's2' });

    const text = await metrics.registry.metrics();
    expect(text).toContain('ioauth_logins_total{result="success"} 1');
    expect(text).toContain('ioauth_logins_total{result="failure"} 1');
    expect(text).toContain('ioauth_logins_total{result="rate_limited"} 1');
    expect(text).toContain('ioauth_refreshes_total{outcome="reused"} 1');
    expect(text).toContain('ioauth_refreshes_total{outcome="revoked"} 1');
    expect(text).toContain('ioauth_revocations_total{kind="user",reason="admin_kick"} 1');
    expect(text).toContain('ioauth_handshake_refusals_total{code="token_expired"} 1');
    expect(text).toContain('ioauth_revocations_total{kind="grants",reason="grants_changed"} 1');
  });
});
