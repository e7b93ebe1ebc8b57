import { parse, protocol, type PGlite } from '@electric-sql/pglite';

type BackendMessage = Parameters<typeof parse.parseResults>[0][number];

const { serialize } = protocol;

/** Distinct statement texts kept prepared; the repositories use a few dozen, all constant. */
const MAX_PREPARED = 256;
// SQLSTATE 0A000 on a prepared statement: "cached plan must not change result type", after a table it reads changed.
const FEATURE_NOT_SUPPORTED = '0A000';

interface Prepared {
  name: string;
  /** Type OID of each parameter, as the server inferred it. */
  parameterTypes: number[];
  /** The columns of its rows (`rowDescription`), or none for a statement that returns no rows. */
  columns: BackendMessage[];
}

function concat(parts: Uint8Array[]): Uint8Array {
  const message = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    message.set(part, offset);
    offset += part.length;
  }
  return message;
}

/**
 * Named prepared statements over PGlite's wire protocol. `PGlite.query` sends every statement through six
 * protocol round trips into the WebAssembly module (parse, describe, bind, describe, execute, sync) and parses and
 * plans it each time; here a statement is parsed and described once, then each run is one call (bind, execute,
 * sync) that reuses the server's plan cache and the described columns: measured, under a quarter of the CPU of a
 * lookup and half of an insert, which the login path pays on every request (bench/login.bench.ts). Parameters and rows go through
 * PGlite's own serializers and parsers, so values are the same as with `PGlite.query`.
 */
export class PgliteStatements {
  private readonly prepared = new Map<string, Prepared>();
  private nextId = 0;

  constructor(private readonly db: PGlite) {}

  /** Whether `text` may run here; beyond the bound, new texts use `PGlite.query` (memory stays bounded). */
  accepts(text: string): boolean {
    return this.prepared.has(text) || this.prepared.size < MAX_PREPARED;
  }

  /**
   * Runs one statement. The caller holds PGlite's locks: a statement must never land inside a transaction that
   * another caller has open on the one embedded connection.
   * @throws DatabaseError from PGlite, with its SQLSTATE `code`, as `PGlite.query` would.
   */
  async run<Row>(text: string, params: readonly unknown[]): Promise<Row[]> {
    try {
      return await this.execute<Row>(await this.prepare(text), params);
    } catch (error) {
      if ((error as { code?: unknown }).code !== FEATURE_NOT_SUPPORTED || !this.prepared.has(text))
        throw error;
      // The statement's tables changed shape since it was prepared (a migration): prepare it again, once.
      await this.forget(text);
      return this.execute<Row>(await this.prepare(text), params);
    }
  }

  private async prepare(text: string): Promise<Prepared> {
    const known = this.prepared.get(text);
    if (known) return known;
    const name = `ioauth_${this.nextId++}`;
    const { messages } = await this.db.execProtocol(
      concat([serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]),
      { syncToFs: false },
    );
    const description = messages.find((message) => message.name === 'parameterDescription') as
      { dataTypeIDs: number[] } | undefined;
    const prepared = {
      name,
      parameterTypes: description?.dataTypeIDs ?? [],
      columns: messages.filter((message) => message.name === 'rowDescription'),
    };
    this.prepared.set(text, prepared);
    return prepared;
  }

  private async execute<Row>(statement: Prepared, params: readonly unknown[]): Promise<Row[]> {
    // The same conversion as PGlite.query: the serializer of the parameter's type, else its text.
    const values = params.map((param, i) => {
      if (param === null || param === undefined) return null;
      const serializer = this.db.serializers[statement.parameterTypes[i] ?? 0];
      return serializer ? serializer(param) : String(param);
    });
    const { messages } = await this.db.execProtocol(
      concat([
        serialize.bind({ statement: statement.name, values }),
        serialize.execute({}),
        serialize.sync(),
      ]),
      { syncToFs: true },
    );
    // Text results, as described when the statement was prepared (a changed shape fails with 0A000 instead).
    return (parse.parseResults([...statement.columns, ...messages], this.db.parsers)[0]?.rows ?? []) as Row[];
  }

  private async forget(text: string): Promise<void> {
    const known = this.prepared.get(text);
    if (!known) return;
    this.prepared.delete(text);
    await this.db.execProtocol(concat([serialize.close({ type: 'S', name: known.name }), serialize.sync()]), {
      syncToFs: false,
    });
  }
}
