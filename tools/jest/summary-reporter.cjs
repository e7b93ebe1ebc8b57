// Prints one plain closing line ("tests: N passed, N failed, N skipped") after the whole multi-project run, so
// CI logs and scripts can read the outcome without parsing Jest's coloured summary.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stderr.write(
      `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`,
    );
  }
}

module.exports = SummaryReporter;
