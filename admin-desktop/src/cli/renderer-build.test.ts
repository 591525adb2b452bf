// The renderer is built with React's production runtime whatever NODE_ENV
// the building process has: this test runner sets NODE_ENV=test, and the
// build then bundled React's development runtime (jsxDEV calls carrying
// file names, an Error for the owner stack of every element), several times
// slower, into the renderer every UI test, the bench and a later
// `sealtime-admin ui` served.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRenderer } from './renderer-build.js';

describe('renderer build', () => {
  it("bundles React's production runtime even under NODE_ENV=test", async () => {
    expect(process.env.NODE_ENV).toBe('test');
    // its own folder: the UI tests running beside it serve the shared build
    const dir = await mkdtemp(join(tmpdir(), 'st-renderer-'));
    try {
      const out = join(dir, 'renderer');
      await buildRenderer(out);
      expect(process.env.NODE_ENV).toBe('test'); // given back
      const assets = join(out, 'assets');
      const js = (await readdir(assets)).filter((f) => f.endsWith('.js'));
      expect(js.length).toBeGreaterThan(0);
      const code = (await Promise.all(js.map((f) => readFile(join(assets, f), 'utf8')))).join('\n');
      expect(code).toContain('Sign in to Sealtime'); // the app is in there
      expect(code).not.toContain('jsxDEV');
      expect(code).not.toContain('recentlyCreatedOwnerStacks');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
