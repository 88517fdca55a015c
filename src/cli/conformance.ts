import { conformanceQuery } from '../engines/sql/conformance.js';
import { DIALECT_NAMES, DIALECTS } from '../engines/sql/dialect.js';
import { choice } from './options.js';

/** `audit conformance --dialect D`: the query to run in a warehouse before trusting compiled rubrics there. */
export async function conformanceCommand(options: { dialect: string }): Promise<number> {
  const dialect = DIALECTS[choice('--dialect', options.dialect, DIALECT_NAMES)];
  const { sql, probes } = conformanceQuery(dialect);
  process.stdout.write(
    `-- audit conformance, ${dialect.title}: ${probes} probes of the reading rules and expression semantics compiled rubrics use.\n` +
      `-- Needs no table. Returns one row per probe the database answers differently from audit (probe, expected, actual);\n` +
      `-- no rows means it computes every one as audit does.\n${sql};\n`,
  );
  return 0;
}
