import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Logger, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Socket as ServerSocket } from 'socket.io';
import type { Socket } from 'socket.io-client';

import { AuthCoreModule, RequireScopes, TokenService } from '@ioauth/auth-core';
import { connectSocket, refusedConnect, waitFor } from '@ioauth/test-support';

import { IoauthIoAdapter } from '../adapter/ioauth-io.adapter.js';
import { AllowIf } from '../guards/allow-if.decorator.js';
import { WsAuth, WsUser } from '../guards/ws-auth.decorator.js';
import type { WsIdentity } from '../identity/ws-identity.js';
import type { NamespacePolicyRule, RoomPolicyRule } from '../ws-auth.options.js';
import { WsAuthService } from '../ws-auth.service.js';
import { WsAuthModule } from '../ws-auth.module.js';

const SECRET = 'policies-spec-secret-long-enough-for-hs256';

type TenantClaims = { tenant: string };
type Tenant = WsIdentity<TenantClaims>;

// The policies of an app whose users belong to tenants, as the README shows them.
const tenantRooms: RoomPolicyRule<TenantClaims> = {
  room: /^tenant:/,
  allow: (identity, { room }) => room === `tenant:${identity.claims?.tenant}`,
};
const tenantsOnly: NamespacePolicyRule<TenantClaims> = {
  namespace: '/tenants',
  auth: 'required',
  allow: async (identity) => typeof identity?.claims?.tenant === 'string',
};

const sameTenant = (identity: Tenant, { data }: { data: unknown }) =>
  (data as { tenant?: unknown } | null)?.tenant === identity.claims?.tenant;

@WebSocketGateway()
@WsAuth()
class OrdersGateway {
  handled: string[] = [];

  constructor(private readonly ws: WsAuthService) {}

  @SubscribeMessage('join')
  async join(@ConnectedSocket() socket: ServerSocket, @MessageBody() room: string): Promise<{ ok: true }> {
    await this.ws.join(socket, room);
    return { ok: true };
  }

  @SubscribeMessage('rooms')
  rooms(@ConnectedSocket() socket: ServerSocket): string[] {
    return [...socket.rooms].filter((room) => room !== socket.id).sort();
  }

  @SubscribeMessage('tenant')
  tenant(@WsUser() user: Tenant): string | undefined {
    return user.claims?.tenant;
  }

  @SubscribeMessage('order:cancel')
  @AllowIf(sameTenant)
  cancel(@MessageBody() order: { tenant: string }): { ok: true } {
    this.handled.push(`cancel:${order.tenant}`);
    return { ok: true };
  }

  @SubscribeMessage('order:refund')
  @RequireScopes('orders:refund')
  @AllowIf<TenantClaims>(async (identity, context) => sameTenant(identity, context))
  refund(): { ok: true } {
    this.handled.push('refund');
    return { ok: true };
  }

  @SubscribeMessage('order:audit')
  @AllowIf(() => {
    throw new Error('audit service misconfigured');
  })
  audit(): { ok: true } {
    this.handled.push('audit');
    return { ok: true };
  }
}

@WebSocketGateway({ namespace: '/tenants' })
class TenantsGateway {}

describe('policies as predicates', () => {
  let app: INestApplication;
  let dataDir: string;
  let url: string;
  let gateway: OrdersGateway;
  let tokens: TokenService;
  const open: Socket[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ioauth-policies-'));
    const moduleRef = await Test.createTestingModule({
      imports: [
        AuthCoreModule.forRoot({ dataDir, algorithm: 'HS256', secret: SECRET }),
        WsAuthModule.forRoot({ namespaces: [tenantsOnly], rooms: [tenantRooms] }),
      ],
      providers: [OrdersGateway, TenantsGateway],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useWebSocketAdapter(new IoauthIoAdapter(app));
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    gateway = app.get(OrdersGateway);
    tokens = app.get(TokenService);
  });
  let errors: unknown[];
  beforeEach(() => {
    gateway.handled = [];
    errors = [];
    import.meta.jest.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => {
      errors.push(args[0]);
    });
  });
  afterEach(() => {
    for (const socket of open.splice(0)) socket.close();
    import.meta.jest.restoreAllMocks();
  });
  afterAll(async () => {
    await app?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const token = (tenant?: string, { sub = 'alice', scope = '' } = {}) =>
    tokens.issueAccessToken({
      sub,
      sid: randomUUID(),
      scope,
      roles: [],
      ...(tenant === undefined ? {} : { claims: { tenant } }),
    }).token;

  const connect = async (auth: { token: string }, namespace = '/') => {
    const socket = await connectSocket(`${url}${namespace}`, { auth });
    open.push(socket);
    return socket;
  };

  describe('the application’s own claims', () => {
    it('reach @WsUser() typed', async () => {
      const socket = await connect({ token: token('acme') });
      expect(await socket.emitWithAck('tenant')).toBe('acme');
    });
  });

  describe('namespace', () => {
    it('admits a token the predicate accepts, and refuses one it does not with forbidden', async () => {
      await connect({ token: token('acme') }, '/tenants');
      expect(await refusedConnect(`${url}/tenants`, { auth: { token: token() } })).toMatchObject({
        code: 'forbidden',
      });
    });

    it('closes a socket whose refreshed token the predicate no longer accepts', async () => {
      const socket = await connect({ token: token('acme') }, '/tenants');
      const closed = waitFor(socket, 'disconnect');
      expect(await socket.emitWithAck('auth:refresh', { token: token() })).toMatchObject({
        error: { code: 'forbidden' },
      });
      await closed;
    });
  });

  describe('room', () => {
    it('lets a user join its own tenant’s room and refuses another tenant’s with forbidden', async () => {
      const socket = await connect({ token: token('acme') });
      expect(await socket.emitWithAck('join', 'tenant:acme')).toEqual({ ok: true });
      expect(await socket.emitWithAck('join', 'tenant:globex')).toMatchObject({
        error: { code: 'forbidden' },
      });
      expect(await socket.emitWithAck('rooms')).toEqual(['tenant:acme']);
    });

    it('leaves a room on refresh when the predicate turns false, and keeps the others', async () => {
      const socket = await connect({ token: token('acme') });
      expect(await socket.emitWithAck('join', 'tenant:acme')).toEqual({ ok: true });
      expect(await socket.emitWithAck('join', 'lobby')).toEqual({ ok: true });
      expect(await socket.emitWithAck('auth:refresh', { token: token('globex') })).toHaveProperty('exp');
      expect(await socket.emitWithAck('rooms')).toEqual(['lobby']);
      expect(await socket.emitWithAck('tenant')).toBe('globex');
    });
  });

  describe('event', () => {
    it('runs the handler when the predicate admits the event and its body', async () => {
      const socket = await connect({ token: token('acme') });
      expect(await socket.emitWithAck('order:cancel', { tenant: 'acme' })).toEqual({ ok: true });
      expect(gateway.handled).toEqual(['cancel:acme']);
    });

    it('refuses with forbidden in the ack, without running the handler', async () => {
      const socket = await connect({ token: token('acme') });
      expect(await socket.emitWithAck('order:cancel', { tenant: 'globex' })).toMatchObject({
        error: { code: 'forbidden' },
      });
      expect(gateway.handled).toEqual([]);
    });

    it('refuses with the exception event when the client asked no ack', async () => {
      const socket = await connect({ token: token('acme') });
      const exception = waitFor(socket, 'exception');
      socket.emit('order:cancel', { tenant: 'globex' });
      expect(await exception).toMatchObject({ code: 'forbidden', event: 'order:cancel' });
      expect(gateway.handled).toEqual([]);
    });

    it('asks the predicate only once the scopes pass, and waits for an async one', async () => {
      const lacking = await connect({ token: token('acme') });
      expect(await lacking.emitWithAck('order:refund', { tenant: 'acme' })).toMatchObject({
        error: { code: 'forbidden' },
      });
      const granted = await connect({ token: token('acme', { scope: 'orders:refund' }) });
      expect(await granted.emitWithAck('order:refund', { tenant: 'acme' })).toEqual({ ok: true });
      expect(await granted.emitWithAck('order:refund', { tenant: 'globex' })).toMatchObject({
        error: { code: 'forbidden' },
      });
      expect(gateway.handled).toEqual(['refund']);
    });

    it('refuses when the predicate throws, and the socket carries on', async () => {
      const socket = await connect({ token: token('acme') });
      expect(await socket.emitWithAck('order:audit', {})).toMatchObject({ error: { code: 'forbidden' } });
      expect(await socket.emitWithAck('order:cancel', { tenant: 'acme' })).toEqual({ ok: true });
      expect(gateway.handled).toEqual(['cancel:acme']);
      expect(errors).toEqual([
        { msg: 'policy predicate threw: refused', namespace: '/', event: 'order:audit', error: 'Error' },
      ]);
    });
  });
});
