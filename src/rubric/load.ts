import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { RubricError, compareDiagnostics, type Diagnostic } from './diagnostics.js';
import { RubricSchema, type Rubric } from './schema.js';

export type YamlPath = ReadonlyArray<string | number>;

/** Where things are in the rubric's source, so every message can say file:line:column. */
export interface RubricSource {
  file: string;
  /** Position of the node at `path`, or of the nearest enclosing node that exists. */
  locate(path: YamlPath): { line: number; column: number };
  /** Position of the key that ends `path` (for a key that should not be there). */
  locateKey(path: YamlPath): { line: number; column: number };
  /** Position of a character inside the string at `path` (an expression). */
  locateInString(path: YamlPath, offset: number): { line: number; column: number };
}

export interface LoadedRubric {
  rubric: Rubric;
  source: RubricSource;
}

/** Rubrics are small; a file this large is a mistake or an attack, not a rubric. */
export const MAX_RUBRIC_BYTES = 1_000_000;
const MAX_ALIASES = 50;

function sourceOf(file: string, text: string, doc: Document, lines: LineCounter): RubricSource {
  const position = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };

  function nodeAt(path: YamlPath, atKey = false): Node | undefined {
    let current: unknown = doc.contents;
    let found: Node | undefined = doc.contents ?? undefined;
    for (const [index, key] of path.entries()) {
      if (isMap(current)) {
        const pair = current.items.find((item) => isScalar(item.key) && item.key.value === key);
        if (!pair) break;
        current = pair.value;
        found = (atKey && index === path.length - 1 ? pair.key : (pair.value ?? pair.key)) as Node;
      } else if (isSeq(current) && typeof key === 'number' && current.items[key]) {
        current = current.items[key];
        found = current as Node;
      } else {
        break;
      }
    }
    return found;
  }

  return {
    file,
    locate(path) {
      const node = nodeAt(path);
      return position(node?.range?.[0] ?? 0);
    },
    locateKey(path) {
      return position(nodeAt(path, true)?.range?.[0] ?? 0);
    },
    locateInString(path, offset) {
      const node = nodeAt(path);
      if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return position(node?.range?.[0] ?? 0);
      const value = node.value;
      const end = node.range[1];
      let i = node.range[0];
      if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') i = text.indexOf('\n', i) + 1;
      else if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') i += 1;
      // Walk source and value together: indentation, folding and escapes only ever add source characters.
      for (let j = 0; j < offset && i < end; ) {
        if (text[i] === value[j]) j++;
        i++;
      }
      while (i < end && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r') && value[offset] !== text[i]) i++;
      return position(Math.min(i, end));
    },
  };
}

function describePath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

function schemaDiagnostics(issues: z.core.$ZodIssue[], source: RubricSource): Diagnostic[] {
  return issues.flatMap((issue) => {
    const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
    const where = describePath(path);
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((key) => {
      const at = key === undefined ? source.locate(path) : source.locateKey([...path, key]);
      const message =
        key !== undefined
          ? `${where ? `${where}: ` : ''}unknown key '${key}'`
          : `${where ? `${where}: ` : ''}${issue.message}`;
      return { file: source.file, ...at, severity: 'error' as const, message, rule: 'schema' };
    });
  });
}

/**
 * Parses rubric YAML and checks it against the schema. Every problem is
 * collected; if there is any, a RubricError carrying all of them is thrown.
 */
export function loadRubric(text: string, file: string): LoadedRubric {
  if (text.length > MAX_RUBRIC_BYTES) {
    throw new RubricError([
      { file, line: 1, column: 1, severity: 'error', message: `the rubric is larger than ${MAX_RUBRIC_BYTES} bytes; this is not a rubric`, rule: 'yaml' },
    ]);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  const source = sourceOf(file, text, doc, lines);
  const yamlProblems = [...doc.errors, ...doc.warnings].map((problem) => {
    const { line, col } = lines.linePos(problem.pos[0]);
    return { file, line, column: col, severity: 'error' as const, message: problem.message.split('\n')[0] ?? problem.message, rule: 'yaml' };
  });
  if (yamlProblems.length > 0) throw new RubricError(yamlProblems);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    throw new RubricError([{ file, line: 1, column: 1, severity: 'error', message: `the rubric cannot be read: ${(error as Error).message}`, rule: 'yaml' }]);
  }
  const parsed = RubricSchema.safeParse(data ?? {});
  if (!parsed.success) throw new RubricError(schemaDiagnostics(parsed.error.issues, source).sort(compareDiagnostics));
  return { rubric: parsed.data, source };
}
