import { describe, expect, it } from 'vitest';
import { compile, diagnosticsOf, rubricYaml } from '../helpers.js';

const where = (d: { line: number; column: number; message: string; rule: string }) => `${d.line}:${d.column} ${d.rule}: ${d.message}`;

describe('loading a rubric', () => {
  it('accepts a minimal rubric and fills in defaults', () => {
    const rubric = compile(rubricYaml('  flag: { type: boolean }', '  - { id: c1, check: flag, on_fail: inadequate }'));
    expect(rubric.id).toBe('test-rubric');
    expect(rubric.title).toBe('test-rubric');
    expect(rubric.criteria[0]?.when_missing).toBe('fail');
    expect(rubric.areas.map((a) => a.label)).toEqual(['Cse', 'Missing', 'Custody']);
    expect(rubric.fields[0]?.headers).toEqual(['ref']);
  });

  it('reads a version written as a number as text', () => {
    const rubric = compile(rubricYaml('  flag: { type: boolean }', '  - { id: c1, check: flag, on_fail: inadequate }').replace('version: 1.0.0', 'version: 2'));
    expect(rubric.version).toBe('2');
  });

  it('orders areas as the rubric lists them, then unlisted enum values', () => {
    const rubric = compile(
      rubricYaml('  flag: { type: boolean }', '  - { id: c1, check: flag, on_fail: inadequate }', 'areas:\n  - { value: custody, label: Children in custody }'),
    );
    expect(rubric.areas).toEqual([
      { value: 'custody', label: 'Children in custody' },
      { value: 'cse', label: 'Cse' },
      { value: 'missing', label: 'Missing' },
    ]);
  });

  it('reports every schema error at once, each at its line and column', () => {
    const yaml = `id: Not Kebab
version: 1
case: { id: ref, area: area }
fields:
  ref: { type: text }
  area: { type: enum, values: [a] }
criteria:
  - id: c1
    check: "true"
    on_fail: terrible
    colour: red
`;
    expect(diagnosticsOf(yaml).map(where)).toEqual([
      '1:5 schema: id: id must be kebab-case, for example hmic-ncpi-child-protection',
      '5:16 schema: fields.ref.type: type must be one of: string, integer, number, boolean, date, datetime, enum',
      '10:14 schema: criteria[0].on_fail: on_fail must be requires-improvement or inadequate',
      '11:5 schema: criteria[0]: unknown key \'colour\'',
    ]);
  });

  it('names a missing required key at its parent', () => {
    const yaml = rubricYaml('', '  - id: c1\n    on_fail: inadequate');
    expect(diagnosticsOf(yaml).map(where)).toEqual(['9:5 schema: criteria[0].check: check is required: a CEL expression that is true when the criterion is met']);
  });

  it('reports YAML syntax errors with their position', () => {
    const [first] = diagnosticsOf('id: x\nversion: [1, 2\n');
    expect(first?.rule).toBe('yaml');
    expect(first?.line).toBeGreaterThanOrEqual(2);
  });

  it('refuses duplicate keys', () => {
    expect(diagnosticsOf('id: a\nid: b\n')[0]?.message).toMatch(/unique/i);
  });

  it('refuses an alias bomb quickly', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n');
    const started = Date.now();
    expect(diagnosticsOf(bomb)[0]?.message).toMatch(/alias/i);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses a rubric that is not a mapping', () => {
    expect(diagnosticsOf('- just\n- a list\n')[0]?.rule).toBe('schema');
  });
});

describe('compiling a rubric', () => {
  it('places an expression syntax error at its column inside the expression', () => {
    const yaml = rubricYaml('  flag: { type: boolean }', '  - id: c1\n    check: flag && \n    on_fail: inadequate');
    const [d] = diagnosticsOf(yaml);
    expect(d?.rule).toBe('expression');
    expect(d?.message).toMatch(/^check of 'c1': Unexpected token/);
    expect([d?.line, d?.column]).toEqual([10, 19]);
  });

  it('places an error inside a quoted expression', () => {
    const yaml = rubricYaml('  age: { type: integer }', '  - id: c1\n    check: "age > \\"x\\""\n    on_fail: inadequate');
    const [d] = diagnosticsOf(yaml);
    expect(d?.message).toBe("check of 'c1': no such overload: integer > string");
    expect([d?.line, d?.column]).toEqual([10, 13]);
  });

  it('places an error inside a block expression', () => {
    const yaml = rubricYaml('  age: { type: integer }\n  seen: { type: date }', '  - id: c1\n    check: |\n      age > 3 &&\n        seen > 5\n    on_fail: inadequate');
    const [d] = diagnosticsOf(yaml);
    expect(d?.message).toBe("check of 'c1': no such overload: date > integer");
    expect([d?.line, d?.column]).toEqual([13, 9]);
  });

  it('refuses an unknown field, a date compared with a number, and a non-boolean check', () => {
    const yaml = rubricYaml(
      '  seen: { type: date }\n  age: { type: integer }',
      [
        '  - { id: c1, check: "agee > 3", on_fail: inadequate }',
        '  - { id: c2, check: "seen > 3", on_fail: inadequate }',
        '  - { id: c3, check: "age + 1", on_fail: inadequate }',
        '  - { id: c4, check: "days_between(seen, 3) > 1", on_fail: inadequate }',
      ].join('\n'),
    );
    expect(diagnosticsOf(yaml).map((d) => d.message)).toEqual([
      "check of 'c1': Unknown variable: agee",
      "check of 'c2': no such overload: date > integer",
      "check of 'c3': expression must be true or false, but gives a integer",
      "check of 'c4': found no matching overload for 'days_between(date, integer)'",
    ]);
  });

  it('refuses a date literal that is not a date', () => {
    const yaml = rubricYaml('  seen: { type: date }', '  - { id: c1, check: "seen > date(\'2015-02-30\')", on_fail: inadequate }');
    expect(diagnosticsOf(yaml).map(where)).toEqual(['9:35 expression: check of \'c1\': date("2015-02-30") is not a date written YYYY-MM-DD']);
  });

  it('refuses date() of anything but a date written in the rubric, so no case can make it fail', () => {
    const yaml = rubricYaml('  seen: { type: date }\n  text: { type: string }', '  - { id: c1, check: "seen > date(text)", on_fail: inadequate }');
    expect(diagnosticsOf(yaml).map((d) => d.message)).toEqual(['check of \'c1\': date() takes a date written in the rubric, such as date("2015-10-26")']);
  });

  it('reports a duplicate criterion id where the second stands, naming the first', () => {
    const yaml = rubricYaml('  flag: { type: boolean }', '  - { id: c1, check: flag, on_fail: inadequate }\n  - { id: c1, check: flag, on_fail: inadequate }');
    expect(diagnosticsOf(yaml).map(where)).toEqual(["10:11 duplicate-id: criterion id 'c1' is already used at line 9"]);
  });

  it('refuses case entries naming undeclared fields, areas outside the enum and escalate_after below 1', () => {
    const yaml = `id: t
version: 1
case: { id: reference, area: area, date: area }
areas:
  - { value: cse, label: CSE }
  - { value: gang, label: Gangs }
fields:
  area: { type: enum, values: [cse] }
criteria:
  - { id: c1, check: "true", on_fail: inadequate }
escalate_after: 0
`;
    expect(diagnosticsOf(yaml).map(where)).toEqual([
      "3:13 case-field: case.id names 'reference', which is not declared under fields",
      "3:42 case-field: case.date must name a date or datetime field; 'area' is enum",
      "6:14 area-value: area 'gang' is not a value of the field 'area' (cse)",
      '11:17 escalate-after: escalate_after must be 1 or more: the number of requires-improvement shortfalls that make a case inadequate',
    ]);
  });

  it('refuses an expression beyond the size and depth limits', () => {
    const deep = `${'('.repeat(40)}true${')'.repeat(40)}`;
    const yaml = rubricYaml('', `  - { id: c1, check: "${deep}", on_fail: inadequate }`);
    expect(diagnosticsOf(yaml)[0]?.message).toMatch(/maxDepth/);
  });

  it('lists the fields each expression reads', () => {
    const rubric = compile(rubricYaml('  a: { type: boolean }\n  b: { type: integer }', '  - { id: c1, applies: "area == \'cse\'", check: "a || b > 2 || a", on_fail: inadequate }'));
    expect(rubric.criteria[0]?.applies?.fields).toEqual(['area']);
    expect(rubric.criteria[0]?.check.fields).toEqual(['a', 'b']);
  });
});
