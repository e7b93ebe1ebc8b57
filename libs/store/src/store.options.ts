/** Options of `StoreModule.forRoot`. */
export interface StoreOptions {
  /** PostgreSQL (`postgres://...`) shared by every process; the embedded PGlite under `dataDir` when not given. */
  databaseUrl?: string;
  /** Folder of the embedded database (and of a `keys.json` left by an earlier version); default `./.ioauth`. */
  dataDir?: string;
  /**
   * A database template (`PgliteSqlClient.writeTemplate`, `dist/pglite/template.tar` of `npm run build`) that fills
   * an empty embedded database folder instead of initdb, for a first start in about a second instead of five. When
   * it cannot be used (missing, or made by another PGlite version), a warning says so and initdb runs.
   */
  dataDirTemplate?: string;
  /** Shortest password `PasswordPolicy` accepts, in characters, 8 to 64; default 8. */
  passwordMinLength?: number;
}
