import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGolden } from './support/golden';

describe('golden files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'golden-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test.each([{}, { UPDATE_GOLDEN: '0' }, { UPDATE_GOLDEN: 'true' }, { UPDATE_GOLDEN: '' }])(
    'a missing golden file fails and is not written (env %j)',
    (env) => {
      const file = join(dir, 'missing.json');
      expect(() => readGolden(file, '{}\n', env)).toThrow(/missing\.json is missing.*UPDATE_GOLDEN=1/);
      expect(existsSync(file)).toBe(false);
    },
  );

  test('UPDATE_GOLDEN=0 compares with the file as it is, without rewriting it', () => {
    const file = join(dir, 'kept.json');
    writeFileSync(file, 'old\n');
    expect(readGolden(file, 'new\n', { UPDATE_GOLDEN: '0' })).toBe('old\n');
    expect(readFileSync(file, 'utf8')).toBe('old\n');
  });

  test('UPDATE_GOLDEN=1 writes the current output, creating folders', () => {
    const file = join(dir, 'nested', 'new.json');
    expect(readGolden(file, 'new\n', { UPDATE_GOLDEN: '1' })).toBe('new\n');
    expect(readFileSync(file, 'utf8')).toBe('new\n');
  });
});
