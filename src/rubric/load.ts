import { LineCounter, isMap, isScalar, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { compareDiagnostics, type Diagnostic } from './diagnostics.js';
import {
  AreaSchema,
  CaseRolesSchema,
  CriterionSchema,
  FieldNameSchema,
  FieldSchema,
  RubricSchema,
  RubricTestSchema,
  type Criterion,
  type Field,
  type Rubric,
  type RubricTest,
} from './schema.js';

export type YamlPath = ReadonlyArray<string | number>;

/** Where things are in the rubric's source, so every message can say file:line:column. */
export interface RubricSource {
  file: string;
  /** The rubric as written: what a worker thread compiles its own copy from. */
  text: string;
  /** Position of the node at `path`, or of the nearest enclosing node that exists. */
  locate(path: YamlPath): { line: number; column: number };
  /** Position of the key that ends `path` (for a key that should not be there). */
  locateKey(path: YamlPath): { line: number; column: number };
  /** Position of a character inside the string at `path` (an expression). */
  locateInString(path: YamlPath, offset: number): { line: number; column: number };
}

/**
 * What could be read of a rubric. When the schema check fails, the parts that
 * are valid on their own (each field, each criterion) are still here, so
 * later checks can report their problems in the same run.
 */
export interface RubricParts {
  id?: string;
  version?: string;
  title?: string;
  description?: string;
  case?: z.infer<typeof CaseRolesSchema>;
  areas: Array<{ index: number; area: z.infer<typeof AreaSchema> }>;
  fields: Array<[string, Field]>;
  /** Fields declared with an invalid declaration: known by name, so they cause no errors of their own. */
  invalidFields: string[];
  criteria: Array<{ index: number; criterion: Criterion }>;
  /** The id of every criterion that has one, valid or not, for the duplicate check. */
  criterionIds: Array<{ index: number; id: string }>;
  escalate_after?: number;
  tests: RubricTest[];
}

export interface LoadedRubric {
  source: RubricSource;
  /** Undefined when the YAML itself cannot be read. */
  parts?: RubricParts;
  diagnostics: Diagnostic[];
}

import { MAX_RUBRIC_BYTES } from './constants.js';
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
    text,
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valid<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

/** The pieces of an invalid rubric that are valid on their own. */
function validParts(data: unknown): RubricParts {
  const raw = isRecord(data) ? data : {};
  const shape = RubricSchema.shape;
  const list = (value: unknown) => (Array.isArray(value) ? value : []);
  const optional = <T>(key: string, schema: z.ZodType<T>) => {
    const value = valid(schema, raw[key]);
    return value === undefined ? {} : { [key]: value };
  };
  return {
    ...optional('id', shape.id),
    ...optional('version', shape.version),
    ...optional('title', shape.title),
    ...optional('description', shape.description),
    ...optional('case', CaseRolesSchema),
    ...optional('escalate_after', shape.escalate_after),
    areas: list(raw.areas).flatMap((area, index) => {
      const parsed = valid(AreaSchema, area);
      return parsed ? [{ index, area: parsed }] : [];
    }),
    fields: Object.entries(isRecord(raw.fields) ? raw.fields : {}).flatMap(([name, field]): Array<[string, Field]> => {
      const parsed = valid(FieldSchema, field);
      return parsed && valid(FieldNameSchema, name) ? [[name, parsed]] : [];
    }),
    invalidFields: Object.entries(isRecord(raw.fields) ? raw.fields : {})
      .filter(([name, field]) => !valid(FieldSchema, field) || !valid(FieldNameSchema, name))
      .map(([name]) => name),
    criteria: list(raw.criteria).flatMap((criterion, index) => {
      const parsed = valid(CriterionSchema, criterion);
      return parsed ? [{ index, criterion: parsed }] : [];
    }),
    criterionIds: list(raw.criteria).flatMap((criterion, index) =>
      isRecord(criterion) && typeof criterion.id === 'string' ? [{ index, id: criterion.id }] : [],
    ),
    tests: list(raw.tests).flatMap((test) => valid(RubricTestSchema, test) ?? []),
  };
}

function partsOf(rubric: Rubric): RubricParts {
  return {
    ...rubric,
    areas: (rubric.areas ?? []).map((area, index) => ({ index, area })),
    fields: Object.entries(rubric.fields),
    invalidFields: [],
    criteria: rubric.criteria.map((criterion, index) => ({ index, criterion })),
    criterionIds: rubric.criteria.map(({ id }, index) => ({ index, id })),
    tests: rubric.tests ?? [],
  };
}

/** Parses YAML safely: bounded size and aliases, no unknown tags, no duplicate keys. */
export function parseYaml(text: string, file: string): { data?: unknown; source: RubricSource; diagnostics: Diagnostic[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text.length > MAX_RUBRIC_BYTES ? '' : text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  const source = sourceOf(file, text, doc, lines);
  const problem = (message: string, offset = 0): Diagnostic => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col, severity: 'error', message, rule: 'yaml' };
  };
  if (text.length > MAX_RUBRIC_BYTES) return { source, diagnostics: [problem(`the file is larger than ${MAX_RUBRIC_BYTES} bytes; this is not a rubric`)] };
  const diagnostics = [...doc.errors, ...doc.warnings].map((p) => {
    const message = p.message.split('\n')[0] ?? p.message;
    return problem(/call stack/i.test(message) ? 'the file is nested too deeply to be a rubric' : message, p.pos[0]);
  });
  // A `__proto__` key would set an object's prototype when the YAML becomes JavaScript objects.
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === '__proto__') diagnostics.push(problem("a key named '__proto__' is not allowed", pair.key.range?.[0] ?? 0));
    },
  });
  if (diagnostics.length > 0) return { source, diagnostics };
  try {
    return { data: doc.toJS({ maxAliasCount: MAX_ALIASES }) ?? {}, source, diagnostics };
  } catch (error) {
    return { source, diagnostics: [problem(`the file cannot be read: ${(error as Error).message}`)] };
  }
}

/** Checks parsed YAML against a schema, placing each problem at its line and column. */
export function validate<T>(schema: z.ZodType<T>, data: unknown, source: RubricSource): { value?: T; diagnostics: Diagnostic[] } {
  const parsed = schema.safeParse(data);
  if (parsed.success) return { value: parsed.data, diagnostics: [] };
  return { diagnostics: schemaDiagnostics(parsed.error.issues, source).sort(compareDiagnostics) };
}

/**
 * Parses rubric YAML and checks it against the schema. Never throws: every
 * problem is a diagnostic, and whatever is valid is kept for further checks.
 */
export function loadRubric(text: string, file: string): LoadedRubric {
  const { data, source, diagnostics } = parseYaml(text, file);
  if (data === undefined) return { source, diagnostics };
  const { value, diagnostics: schemaProblems } = validate(RubricSchema, data, source);
  return { source, parts: value ? partsOf(value) : validParts(data), diagnostics: schemaProblems };
}
