/** Options of `StoreModule.forRoot`. */
export interface StoreOptions {
  /** PostgreSQL (`postgres://...`) shared by every process; the embedded PGlite under `dataDir` when not given. */
  databaseUrl?: string;
  /** Folder of the embedded database (and of a `keys.json` left by an earlier version); default `./.ioauth`. */
  dataDir?: string;
  /** Shortest password `PasswordPolicy` accepts, in characters, 8 to 64; default 8. */
  passwordMinLength?: number;
}
