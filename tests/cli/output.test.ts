import { afterEach, describe, expect, it } from 'vitest';
import { useColor } from '../../src/cli/output.js';

const stream = (isTTY: boolean) => ({ isTTY }) as NodeJS.WriteStream;
const saved = process.env.NO_COLOR;

describe('colour', () => {
  afterEach(() => {
    if (saved === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = saved;
  });

  it('is used only on a terminal, and never when NO_COLOR is set', () => {
    delete process.env.NO_COLOR;
    expect(useColor(stream(true))).toBe(true);
    expect(useColor(stream(false))).toBe(false);
    process.env.NO_COLOR = '1';
    expect(useColor(stream(true))).toBe(false);
    // The NO_COLOR convention: an empty value does not count.
    process.env.NO_COLOR = '';
    expect(useColor(stream(true))).toBe(true);
  });
});
