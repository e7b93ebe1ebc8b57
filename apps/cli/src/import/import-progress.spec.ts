import { ImportProgress, progressLine, type ProgressStream } from './import-progress.js';

const stream = (isTTY: boolean): ProgressStream & { text: string } => {
  const sink = {
    isTTY,
    columns: 60,
    text: '',
    write: (chunk: string) => (sink.text += chunk),
  };
  return sink;
};

describe('ImportProgress', () => {
  it('draws a bar in place on a terminal, at most every 100 ms but always the last row, then clears it', () => {
    const terminal = stream(true);
    let now = 0;
    const progress = new ImportProgress(terminal, 4, () => now);
    progress.update(1);
    now = 50;
    progress.update(2);
    now = 150;
    progress.update(3);
    now = 160;
    progress.update(4);
    progress.end();
    expect(terminal.text.split('\r').filter(Boolean)).toEqual([
      progressLine(1, 4, 60),
      progressLine(3, 4, 60),
      progressLine(4, 4, 60),
      '\u001b[2K',
    ]);
  });

  it('writes nothing where standard error is not a terminal', () => {
    const pipe = stream(false);
    const progress = new ImportProgress(pipe, 2);
    progress.update(1);
    progress.update(2);
    progress.end();
    expect(pipe.text).toBe('');
  });

  it('clears nothing when it never drew', () => {
    const terminal = stream(true);
    new ImportProgress(terminal, 0).end();
    expect(terminal.text).toBe('');
  });
});

describe('progressLine', () => {
  it.each([
    [0, 10, 80, '[----------------------------------------]   0% 0/10 rows'],
    [5, 10, 40, `[${'#'.repeat(12)}${'-'.repeat(11)}]  50% 5/10 rows`],
    [3, 3, 10, '[##########] 100% 3/3 rows'],
    [0, 0, 30, `[${'#'.repeat(14)}] 100% 0/0 rows`],
  ])('draws %i of %i rows on %i columns, within them', (done, total, columns, line) => {
    expect(progressLine(done, total, columns)).toBe(line);
    if (columns >= 30) expect(line.length).toBeLessThanOrEqual(columns);
  });
});
