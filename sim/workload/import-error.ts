// Bad input to an importer: one line that says where (the line number, when there is one) and what.
export class WorkloadImportError extends Error {
  constructor(
    message: string,
    /** 1-based line of the input the problem is on, when it is on one line. */
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'WorkloadImportError';
  }
}
