/** The input cannot be read at all (exit code 3): missing file, no header, missing columns. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
