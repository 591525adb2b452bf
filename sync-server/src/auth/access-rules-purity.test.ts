import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('purity', () => {
  it('access-rules.ts imports nothing but local pure types and @sealtime/shared', () => {
    const src = readFileSync(new URL('./access-rules.ts', import.meta.url), 'utf8');
    const specs = [...src.matchAll(/^\s*import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    expect(specs.length).toBeGreaterThan(0);
    for (const s of specs) {
      const localType = s === './principal.js' || s === '../provisioning/db-names.js';
      expect(localType || s === '@sealtime/shared', `import of ${s}`).toBe(true);
    }
    // Local imports must be type-only so nothing with side effects loads.
    expect(src).not.toMatch(/^import \{[^}]*\} from '\.\.?\//m);
    expect(src).not.toMatch(/\b(require|process|Buffer|globalThis|fetch)\b/);
  });
});
