/** One of the caller's live sessions, as `GET /auth/sessions` lists it (times as RFC 3339 strings). */
export interface SessionInfo {
  sid: string;
  /** Whether this is the session of the access token that asked. */
  current: boolean;
  created_at: string;
  last_used_at: string;
  /** The absolute end of the session, which refreshing never moves. */
  expires_at: string;
  /** The `User-Agent` of the login, cut to 256 characters; null when it sent none. */
  user_agent: string | null;
  /** The client address of the login, as the rate limits see it. */
  ip: string | null;
}

/** Body of `GET /auth/sessions`. */
export interface SessionsResponse {
  sessions: SessionInfo[];
}

/** Body of `POST /auth/password`. */
export interface PasswordChange {
  current_password: string;
  new_password: string;
}

/** A user as the admin API shows it (`GET /admin/users`, `GET /admin/users/{username}`). */
export interface AdminUser {
  username: string;
  scopes: string[];
  roles: string[];
  disabled: boolean;
  created_at: string;
  updated_at: string;
}

/** Body of `GET /admin/users`. */
export interface AdminUsersResponse {
  users: AdminUser[];
}

/** Body of `POST /admin/users`. */
export interface NewAdminUser {
  username: string;
  password: string;
  scopes?: string[];
  roles?: string[];
}

/** Body of `PATCH /admin/users/{username}`: any of the fields. */
export interface AdminUserPatch {
  scopes?: string[];
  roles?: string[];
  disabled?: boolean;
  password?: string;
}

/** Body of `GET /admin/users/{username}/sessions`: the user's live sessions, none of them `current`. */
export type AdminSessionsResponse = SessionsResponse;
