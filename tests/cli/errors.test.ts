import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/cases/errors.js';
import { describeFailure, UsageError } from '../../src/cli/errors.js';
import { RubricError } from '../../src/rubric/diagnostics.js';

describe('mapping failures to exit codes', () => {
  it('gives each kind of failure its code and a message without a stack trace', () => {
    expect(describeFailure(new InputError('a.csv: file not found'))).toEqual({ code: 3, message: 'a.csv: file not found' });
    expect(describeFailure(new UsageError('--format xml: choose one of table'))).toEqual({ code: 2, message: '--format xml: choose one of table' });
    const rubric = describeFailure(new RubricError([{ file: 'r.yaml', line: 3, column: 7, severity: 'error', message: 'bad', rule: 'schema' }]));
    expect(rubric).toEqual({ code: 2, message: 'the rubric cannot be used (1 error):\nr.yaml:3:7  error  bad  (schema)' });
    const internal = describeFailure(new TypeError('x is undefined'));
    expect(internal.code).toBe(70);
    expect(internal.message).toBe('internal error: x is undefined\nThis is a bug in audit; please report it with the command you ran.');
    expect(internal.message).not.toMatch(/\n\s+at /);
  });
});
