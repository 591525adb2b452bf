// The code is kept in one format (prettier, .prettierrc.json): a file written
// by hand or by a tool without `npm run format` fails here, named.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = dirname(fileURLToPath(import.meta.url));

describe('formatting', () => {
  it('every file prettier covers is formatted (npm run format fixes it)', async () => {
    const result = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(
        join(root, 'node_modules/.bin/prettier'),
        ['--check', '.'],
        { cwd: root, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
      );
    });
    const unformatted = result.out
      .split('\n')
      .filter((l) => l.startsWith('[warn] ') && !l.includes('Code style issues'));
    expect(unformatted).toEqual([]);
    expect(result.code).toBe(0);
  }, 180_000);
});
