import { CliError } from './cli.error.js';
import { CliOutput, importSummary, userLine } from './cli.output.js';
import type { ImportReport } from './import/user-import.js';
import { adminUser } from './testing/admin-user.js';

const carol = adminUser('carol', { scopes: ['chat:read', 'chat:write'], roles: ['moderator'] });

function output(json: boolean) {
  const written = { stdout: '', stderr: '' };
  const out = new CliOutput(
    json,
    { write: (chunk) => (written.stdout += chunk) },
    { write: (chunk) => (written.stderr += chunk) },
  );
  return { out, written };
}

const REPORT: ImportReport = {
  total: 6,
  added: ['ann', 'bea'],
  skipped: ['carol'],
  failed: [
    { row: 4, username: 'dan', code: 'weak_password', message: 'the password is shorter than 8 characters' },
    { row: 6, code: 'invalid_request', message: 'the row has 1 fields where the header has 2' },
  ],
};

describe('userLine', () => {
  it('shows a user with tab-separated grants, and says when they are disabled', () => {
    expect(userLine(carol)).toBe('carol\tscopes=chat:read,chat:write\troles=moderator');
    expect(userLine({ ...carol, scopes: [], roles: [], disabled: true })).toBe(
      'carol\tscopes=\troles= (disabled)',
    );
  });
});

describe('importSummary', () => {
  it('gives the counts, then each failed row with its reason', () => {
    expect(importSummary(REPORT)).toBe(
      'added 2, skipped existing 1, failed 2\n' +
        'row 4 (dan): the password is shorter than 8 characters\n' +
        'row 6: the row has 1 fields where the header has 2\n',
    );
  });

  it('says where an import stopped and how many rows it left', () => {
    const stopped = {
      total: 10,
      added: ['ann'],
      skipped: [],
      failed: [],
      stopped: { row: 2, username: 'bea', code: 'admin_api_unavailable', message: 'no server answers' },
    };
    expect(importSummary(stopped)).toBe(
      'added 1, skipped existing 0, failed 0\n' +
        'stopped at row 2 (bea): no server answers\n' +
        '9 row(s) not imported: run the import again (existing users are skipped)\n',
    );
  });
});

describe('CliOutput', () => {
  it('prints lines for people, and errors on standard error', () => {
    const { out, written } = output(false);
    out.users([carol, { ...carol, username: 'dave', disabled: true }]);
    out.result('added carol', carol);
    out.error(new CliError('not_found', 'no such user'));
    expect(written).toEqual({
      stdout:
        'carol\tscopes=chat:read,chat:write\troles=moderator\n' +
        'dave\tscopes=chat:read,chat:write\troles=moderator (disabled)\n' +
        'added carol\n',
      stderr: 'ioauth: no such user\n',
    });
  });

  it('prints nothing for no users, or [] in JSON', () => {
    const text = output(false);
    text.out.users([]);
    expect(text.written.stdout).toBe('');
    const json = output(true);
    json.out.users([]);
    expect(json.written.stdout).toBe('[]\n');
  });

  it('with --json, writes one JSON value per command on standard output, errors included', () => {
    const { out, written } = output(true);
    out.users([carol]);
    out.result('added carol', carol);
    out.importReport(REPORT);
    out.error(new CliError('weak_password', 'the password is shorter than 8 characters'));
    const values = written.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(values).toEqual([
      [carol],
      carol,
      REPORT,
      { error: { code: 'weak_password', message: 'the password is shorter than 8 characters' } },
    ]);
    expect(written.stderr).toBe('');
  });
});
