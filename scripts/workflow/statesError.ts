/**
 * A state's failure as Step Functions reports it: `name` is the `Error` that `Retry`/`Catch`
 * match (`Mesh.Unavailable`, `States.DataLimitExceeded`...), `message` is the `Cause` string.
 * Both local engines read errors exactly this way, so the two fields must be set like this.
 *
 * @example
 * throw new StatesError('States.DataLimitExceeded', 'The state/task returned a result larger than 262144 bytes');
 */
export class StatesError extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    // Set after super(): the name is data (the ASL error name), not this class's name.
    this.name = error;
  }
}
