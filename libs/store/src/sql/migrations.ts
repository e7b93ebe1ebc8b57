import type { SqlClient } from './sql-client.js';

/** The schema, one step per entry, applied in order and never edited once released: add a step instead. */
export const MIGRATIONS: readonly string[] = [
  `create table ioauth_users (
     username text primary key,
     password_hash text not null,
     scopes text[] not null default '{}',
     roles text[] not null default '{}',
     disabled boolean not null default false,
     created_at timestamptz not null,
     updated_at timestamptz not null
   );
   create table ioauth_sessions (
     sid text primary key,
     sub text not null references ioauth_users (username) on delete cascade,
     created_at timestamptz not null,
     expires_at timestamptz not null,
     revoked_at timestamptz,
     revoked_reason text
   );
   create index ioauth_sessions_sub on ioauth_sessions (sub);
   create index ioauth_sessions_revoked_at on ioauth_sessions (revoked_at) where revoked_at is not null;
   create table ioauth_refresh_tokens (
     token_hash text primary key,
     sid text not null references ioauth_sessions (sid) on delete cascade,
     created_at timestamptz not null,
     expires_at timestamptz not null,
     spent_at timestamptz
   );
   create index ioauth_refresh_tokens_sid on ioauth_refresh_tokens (sid);`,
  // The managed signing keys (private JWKs: secrets), one row shared by every process and the CLI.
  `create table ioauth_key_set (
     id smallint primary key check (id = 1),
     keys jsonb not null,
     updated_at timestamptz not null
   );`,
  // Durable revocations (contract v2): kept apart from sessions and users so that purging a session or removing a
  // user never forgets what was revoked; `recorded_at` is the database's clock, the cursor of every process's
  // catch-up. Sessions get their absolute end, which rotation never moves (ASVS 5.0 V7.3). Markers record one-off
  // work, such as the demo users having been seeded once.
  `create table ioauth_revocations (
     id bigserial primary key,
     kind text not null check (kind in ('session', 'user')),
     sid text,
     sub text not null,
     reason text not null,
     revoked_at timestamptz not null,
     recorded_at timestamptz not null default clock_timestamp(),
     keep_until timestamptz not null,
     check (kind = 'user' or sid is not null)
   );
   create index ioauth_revocations_recorded_at on ioauth_revocations (recorded_at);
   create index ioauth_revocations_keep_until on ioauth_revocations (keep_until);
   insert into ioauth_revocations (kind, sid, sub, reason, revoked_at, recorded_at, keep_until)
     select 'session', sid, sub, coalesce(revoked_reason, 'admin'), revoked_at, revoked_at,
            revoked_at + interval '1 day 5 minutes'
       from ioauth_sessions where revoked_at is not null;
   alter table ioauth_sessions add column absolute_expires_at timestamptz;
   update ioauth_sessions set absolute_expires_at = created_at + interval '30 days';
   alter table ioauth_sessions alter column absolute_expires_at set not null;
   create index ioauth_sessions_expires_at on ioauth_sessions (expires_at);
   create table ioauth_markers (
     name text primary key,
     created_at timestamptz not null
   );`,
  // Sessions refer to a subject, not to a row of ioauth_users, so that users kept elsewhere (a team's own table,
  // LDAP) have sessions too (issue 12). Removing a user no longer deletes their sessions: it revokes them, and the
  // purge deletes them once expired. The constraint is found in the catalog rather than by its default name. The
  // block's semicolons are kept off line ends, where `migrate` splits a step into statements.
  `do $$ declare constraint_name name; begin
     for constraint_name in
       select conname from pg_constraint
        where contype = 'f' and conrelid = 'ioauth_sessions'::regclass and confrelid = 'ioauth_users'::regclass
     loop execute format('alter table ioauth_sessions drop constraint %I', constraint_name); end loop; end $$;`,
  // Sessions a person can see and end (issue 14): the device and address of the login, and its last use. The
  // revocation log learns partial user revocations (every session but the one that asked) and grant cuts; its
  // checks are found in the catalog, then added back under names of ours.
  `alter table ioauth_sessions add column user_agent text;
   alter table ioauth_sessions add column ip text;
   alter table ioauth_sessions add column last_used_at timestamptz;
   update ioauth_sessions set last_used_at = created_at;
   alter table ioauth_sessions alter column last_used_at set not null;
   alter table ioauth_revocations add column except_sid text;
   alter table ioauth_revocations add column scopes text[];
   alter table ioauth_revocations add column roles text[];
   create index ioauth_revocations_sub on ioauth_revocations (sub);
   do $$ declare constraint_name name; begin
     for constraint_name in
       select conname from pg_constraint where contype = 'c' and conrelid = 'ioauth_revocations'::regclass
     loop execute format('alter table ioauth_revocations drop constraint %I', constraint_name); end loop; end $$;
   alter table ioauth_revocations add constraint ioauth_revocations_kind
     check (kind in ('session', 'user', 'grants'));
   alter table ioauth_revocations add constraint ioauth_revocations_session_sid
     check (kind <> 'session' or sid is not null);
   alter table ioauth_revocations add constraint ioauth_revocations_grants
     check (kind <> 'grants' or (scopes is not null and roles is not null));`,
];

// Any constant works, as long as every ioauth process uses the same one.
const MIGRATION_LOCK = 0x10a0_7400;

/**
 * Brings the schema up to date. Safe to run from several processes at once: a transaction-scoped advisory lock
 * lets one apply the steps while the others wait, then find nothing left to do.
 * @param steps the schema to reach: every step, unless a spec builds the database of an earlier release.
 * @returns how many steps it applied.
 */
export async function migrate(client: SqlClient, steps: readonly string[] = MIGRATIONS): Promise<number> {
  return client.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(
      'create table if not exists ioauth_migrations (version integer primary key, applied_at timestamptz not null)',
    );
    const [{ version } = { version: 0 }] = await tx.query<{ version: number }>(
      'select coalesce(max(version), 0)::int as version from ioauth_migrations',
    );
    for (let step = version; step < steps.length; step += 1) {
      for (const statement of (steps[step] as string).split(/;\s*$/m).filter((text) => text.trim())) {
        await tx.query(statement);
      }
      await tx.query('insert into ioauth_migrations (version, applied_at) values ($1, now())', [step + 1]);
    }
    return steps.length - version;
  });
}
