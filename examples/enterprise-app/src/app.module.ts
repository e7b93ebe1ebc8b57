import { Module, type DynamicModule } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';

import { AuthCoreModule } from '@ioauth/auth-core';
import { AuthHttpModule } from '@ioauth/auth-http';
import { WsAuthModule } from '@ioauth/gateway';
import { SessionsModule } from '@ioauth/sessions';
import { SqlKeySetStorage, SqlRevocationLog, StoreModule } from '@ioauth/store';

import { AuditController } from './audit/audit.controller.js';
import { AuditListener } from './audit/audit.listener.js';
import { FormLoginController } from './login/form-login.controller.js';
import { LocalStrategy } from './login/local.strategy.js';
import { OrdersGateway } from './orders/orders.gateway.js';
import { tenantRooms } from './orders/tenant-rooms.policy.js';
import type { TenantUser } from './users/tenant-user.js';
import { TenantUserDirectory } from './users/tenant-user.directory.js';
import { UsersModule } from './users/users.module.js';

/** Where this app keeps its data. */
export interface EnterpriseAppSettings {
  /** Folder of the embedded database, when no PostgreSQL is given. */
  dataDir: string;
  databaseUrl?: string;
}

/**
 * An app of a team that mounts ioauth's modules through their public APIs only: its own users table with bcrypt
 * hashes, a `tenant` claim, a second login method, an audit listener, a tenant room policy and its own gateway.
 */
@Module({})
export class EnterpriseAppModule {
  static register({ dataDir, databaseUrl }: EnterpriseAppSettings): DynamicModule {
    return {
      module: EnterpriseAppModule,
      imports: [
        StoreModule.forRoot({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) }),
        AuthCoreModule.forRootAsync({
          inject: [SqlKeySetStorage, SqlRevocationLog],
          useFactory: (keySetStorage: SqlKeySetStorage, revocationLog: SqlRevocationLog) => ({
            issuer: 'https://orders.example',
            audience: 'orders',
            accessTokenTtl: 300,
            keySetStorage,
            revocationLog,
          }),
        }),
        SessionsModule.forRootAsync({
          imports: [UsersModule],
          inject: [TenantUserDirectory],
          useFactory: (users: TenantUserDirectory) => ({
            users,
            claims: (user: TenantUser) => ({ tenant: user.tenant }),
          }),
        }),
        AuthHttpModule.forRoot({}),
        WsAuthModule.forRoot({ rooms: [tenantRooms] }),
        PassportModule,
      ],
      controllers: [FormLoginController, AuditController],
      providers: [LocalStrategy, AuditListener, OrdersGateway],
    };
  }
}
