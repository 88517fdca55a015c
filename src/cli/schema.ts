import { z } from 'zod';
import { RubricSchema, RubricTestFileSchema } from '../rubric/schema.js';
import { EXIT } from './errors.js';

/**
 * The JSON Schema of the rubric format (or of a NAME.test.yaml file),
 * generated from the same zod schema the loader checks rubrics with.
 */
export function jsonSchemaText(tests: boolean): string {
  const schema = z.toJSONSchema(tests ? RubricTestFileSchema : RubricSchema, { io: 'input', target: 'draft-7' });
  const title = tests ? 'audit rubric tests (NAME.test.yaml)' : 'audit rubric';
  return `${JSON.stringify({ ...schema, title }, null, 2)}\n`;
}

export async function schemaCommand(options: { tests?: boolean }): Promise<number> {
  process.stdout.write(jsonSchemaText(options.tests === true));
  return EXIT.ok;
}
