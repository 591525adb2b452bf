import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTypeOf, resolveAppPath } from './app-paths.js';

const root = '/opt/sealtime/renderer';

describe('app:// paths', () => {
  it.each([
    ['/', join(root, 'index.html')],
    ['/index.html', join(root, 'index.html')],
    ['/assets/main-abc.js', join(root, 'assets/main-abc.js')],
    ['/assets/a%20b.css', join(root, 'assets/a b.css')],
  ])('%s → a file inside the renderer', (path, file) => {
    expect(resolveAppPath(root, path)).toBe(file);
  });

  it.each([
    '/../secret',
    '/assets/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/..%2f..%2fetc/passwd',
    '/a%00b',
    '/%E0%A4%A',
    '/..\\..\\x',
  ])('refuses %s', (path) => {
    expect(resolveAppPath(root, path)).toBeNull();
  });

  it('names the content types the renderer uses', () => {
    expect(contentTypeOf('x/index.html')).toMatch(/^text\/html/);
    expect(contentTypeOf('x/a.JS')).toMatch(/^text\/javascript/);
    expect(contentTypeOf('x/a.bin')).toBe('application/octet-stream');
  });
});
