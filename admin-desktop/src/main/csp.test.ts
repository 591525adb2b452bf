import { describe, it, expect } from 'vitest';
import { contentSecurityPolicy } from './csp.js';

describe('admin window CSP', () => {
  it('allows no inline or eval script and only the configured server', () => {
    const csp = contentSecurityPolicy('https://sync.example.org:6984/path');
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    expect(csp).toContain("connect-src 'self' https://sync.example.org:6984");
    expect(csp).toContain("default-src 'none'");
  });
  it('connects nowhere but itself without a server', () => {
    expect(contentSecurityPolicy(null)).toContain("connect-src 'self';");
  });
});
