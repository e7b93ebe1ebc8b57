import type { SqlClient } from '../sql/sql-client.js';
import { recordSessionRevocations, type SessionRevocationEntry } from './session-revocation.batch.js';

// A database that answers each statement from a script: an error to throw, or the rows to return.
function scripted(...answers: (Error | { position: number }[])[]) {
  const statements: unknown[][] = [];
  const sql: SqlClient = {
    query: async <Row extends object>(_text: string, params: readonly unknown[] = []) => {
      statements.push([...params]);
      const answer = answers.shift();
      if (answer === undefined) throw new Error('no statement expected');
      if (answer instanceof Error) throw answer;
      return answer as unknown as Row[];
    },
    transaction: () => Promise.reject(new Error('no transaction expected')),
    close: async () => undefined,
  };
  return { sql, statements };
}

const sqlError = (code: string) => Object.assign(new Error(`sqlstate ${code}`), { code });

const entries: SessionRevocationEntry[] = ['s-1', 's-2', 's-3'].map((sid) => ({
  revocation: { kind: 'session', sid, sub: 'alice', reason: 'logout', at: 1_800_000_000_000 },
  keepUntil: new Date(1_800_000_900_000),
}));

describe('recordSessionRevocations', () => {
  it('gives each entry the sid it ended, in order', async () => {
    const { sql } = scripted([{ position: 1 }, { position: 3 }]);
    expect(await recordSessionRevocations(sql, entries)).toEqual([['s-1'], [], ['s-3']]);
  });

  it('runs the same statement again when PostgreSQL broke a deadlock with it, and answers from the second', async () => {
    const { sql, statements } = scripted(sqlError('40P01'), [{ position: 2 }]);
    expect(await recordSessionRevocations(sql, entries)).toEqual([[], ['s-2'], []]);
    expect(statements).toHaveLength(2);
    expect(statements[1]).toEqual(statements[0]);
  });

  it('gives up after a second deadlock, with its error', async () => {
    const { sql, statements } = scripted(sqlError('40P01'), sqlError('40P01'));
    await expect(recordSessionRevocations(sql, entries)).rejects.toMatchObject({ code: '40P01' });
    expect(statements).toHaveLength(2);
  });

  it('never runs again after any other error', async () => {
    const { sql, statements } = scripted(sqlError('57014'));
    await expect(recordSessionRevocations(sql, entries)).rejects.toMatchObject({ code: '57014' });
    expect(statements).toHaveLength(1);
  });
});
