import { compileRubric } from '../rubric/compile.js';
import { textTable } from '../render/text-table.js';
import { EXIT } from './errors.js';
import { DEFAULT_RUBRIC, resolveRubric, shippedRubricNames } from './rubric-source.js';

/** Lists the shipped rubrics with their titles and versions. */
export async function rubricsCommand(): Promise<number> {
  const rows: string[][] = [];
  for (const name of await shippedRubricNames()) {
    const { text, file } = await resolveRubric(name);
    const rubric = compileRubric(text, file);
    rows.push([name + (name === DEFAULT_RUBRIC ? ' (default)' : ''), rubric.version, String(rubric.criteria.length), rubric.title]);
  }
  const columns = [
    { header: 'Name', align: 'left' as const },
    { header: 'Version', align: 'left' as const },
    { header: 'Criteria', align: 'right' as const },
    { header: 'Title', align: 'left' as const },
  ];
  process.stdout.write(`${textTable(columns, rows).join('\n')}\n\nUse one with --rubric NAME, or give a path to your own rubric file.\n`);
  return EXIT.ok;
}
