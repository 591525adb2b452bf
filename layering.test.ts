import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import ts from 'typescript';
import { buildImportGraph, findImportCycles } from './scripts/import-cycles.js';
import { checkImports } from './scripts/layering.js';

function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

const NETWORK_GLOBALS = new Set(['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource']);

/** Calls of the platform's network globals (`fetch(…)`, `new WebSocket(…)`, `globalThis.fetch(…)`), as file:line name. */
function networkCalls(file: string, text: string): string[] {
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee) &&
            ts.isIdentifier(callee.expression) &&
            callee.expression.text === 'globalThis'
          ? callee.name.text
          : null;
      if (name && NETWORK_GLOBALS.has(name))
        out.push(`${file}:${src.getLineAndCharacterOfPosition(node.getStart(src)).line + 1} ${name}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
  return out;
}

function repositoryFiles(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.tsx'], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => f && existsSync(f) && !f.includes('node_modules/'));
}

describe('layer rule (DESIGN.md)', () => {
  it('holds for every TypeScript file in the repository', () => {
    const files = repositoryFiles();
    expect(files.length).toBeGreaterThan(5);
    const violations = files.flatMap((f) => checkImports(f, importsOf(f)));
    expect(violations).toEqual([]);
  });

  it('finds no import cycle among the source files', () => {
    const graph = buildImportGraph(new Map(repositoryFiles().map((f) => [f, importsOf(f)])));
    expect(graph.size).toBeGreaterThan(5);
    expect(findImportCycles(graph)).toEqual([]);
  });

  it('finds no network call in the admin use-cases: they reach the server only through admin-desktop/src/admin/ports.ts', () => {
    const pure = repositoryFiles().filter(
      (f) => /^admin-desktop\/src\/admin\/[^/]+\.ts$/.test(f) && !/\.(test|fixture)\.ts$/.test(f),
    );
    expect(pure.length).toBeGreaterThan(10);
    expect(pure.flatMap((f) => networkCalls(f, readFileSync(f, 'utf8')))).toEqual([]);
  });

  it('flags a planted network call', () => {
    const planted =
      'const r = await fetch(url);\nconst s = new WebSocket(u);\nconst t = globalThis.fetch(u);\n// fetch(x) in a comment is no call\n';
    expect(networkCalls('admin-desktop/src/admin/x.ts', planted)).toEqual([
      'admin-desktop/src/admin/x.ts:1 fetch',
      'admin-desktop/src/admin/x.ts:2 WebSocket',
      'admin-desktop/src/admin/x.ts:3 fetch',
    ]);
  });

  it('finds a planted cycle, type-only and through an index file included', () => {
    const graph = buildImportGraph(
      new Map<string, string[]>([
        ['agent/src/compose.ts', ['./control/index.js', './store/a.js']],
        ['agent/src/control/index.ts', ['./control-handlers.js']],
        ['agent/src/control/control-handlers.ts', ['../compose.js']],
        ['agent/src/store/a.ts', ['./b.js']],
        ['agent/src/store/b.ts', []],
        ['shared/src/x.ts', ['./x.js']],
      ]),
    );
    expect(findImportCycles(graph)).toEqual([
      [
        'agent/src/compose.ts',
        'agent/src/control/index.ts',
        'agent/src/control/control-handlers.ts',
        'agent/src/compose.ts',
      ],
      ['shared/src/x.ts', 'shared/src/x.ts'],
    ]);
  });

  it.each([
    ['agent/src/collectors/x.ts', 'electron', 'electron'],
    ['shared/src/envelope/seal.ts', 'node:fs', 'Node builtins'],
    ['shared/src/records/a.ts', 'classic-level', 'may import only'],
    ['shared/src/records/a.ts', '../node/storage-leveldb/index.js', 'node-only adapters'],
    ['shared/src/policy/p.ts', '@sealtime/agent', 'app package'],
    ['shared/src/policy/p.ts', '../../../agent/src/x.js', 'outside itself'],
    ['shared/src/keys/k.ts', 'libsodium-wrappers', 'one file'],
    ['shared/src/keys/k.ts', 'libsodium-wrappers-sumo', 'one file'],
    ['shared/src/keys/k.ts', 'sodium-native', 'one file'],
    ['shared/src/envelope/hash.ts', 'hash-wasm', 'may import only'],
    ['admin-desktop/src/renderer/app.tsx', 'node:path', 'Node builtins'],
    ['admin-desktop/src/renderer/App.tsx', '../core/admin-core.js', 'only through admin-desktop/src/api'],
    ['admin-desktop/src/renderer/shell/a.tsx', '../../admin/key-custody.js', 'only through admin-desktop/src/api'],
    ['admin-desktop/src/core/admin-core.ts', 'react', 'no react'],
    ['admin-desktop/src/core/admin-core.ts', 'electron', 'electron'],
    ['admin-desktop/src/api/admin-api.ts', 'node:crypto', 'no Node'],
    ['admin-desktop/src/api/dispatcher.ts', '../core/admin-core.js', 'imports only itself'],
    ['admin-desktop/src/admin/record-reader.ts', 'node:fs/promises', 'admin use-cases do no I/O'],
    ['admin-desktop/src/admin/accounts.ts', 'crypto', 'admin use-cases do no I/O'],
    ['admin-desktop/src/admin/people-setup.ts', 'undici', 'no HTTP client'],
    ['admin-desktop/src/admin/people-setup.ts', 'nano', 'no HTTP client'],
    ['admin-desktop/src/admin/people-setup.ts', '@sealtime/shared/node', 'pure entries'],
    ['admin-desktop/src/admin/key-custody.ts', './node/profile-store.js', 'never import their node adapters'],
    ['admin-desktop/src/admin/key-custody.ts', '../core/replica-store.js', 'import only themselves'],
    ['agent/src/recorder/r.ts', '@sealtime/sync-server', 'apps do not import each other'],
    [
      'bench/server.bench.ts',
      '@sealtime/sync-server/src/server.js',
      'a root tool reaches a package only through its entries',
    ],
    [
      'scripts/start.ts',
      '@sealtime/sync-server/src/compose.js',
      'a root tool reaches a package only through its entries',
    ],
    [
      'bench/admin/slots.ts',
      '@sealtime/agent/src/compose.js',
      'a root tool reaches a package only through its entries',
    ],
    [
      'test-support/org-fixture/store-org.ts',
      '@sealtime/admin-desktop/src/admin/index.js',
      'a root tool reaches a package only through its entries',
    ],
    [
      'test-support/server-ledger.int.test.ts',
      '../sync-server/test-support/engine-fixture.js',
      'a root tool reaches a package only through its entries',
    ],
    ['agent/src/recorder/r.ts', '../../../sync-server/src/x.js', 'package name'],
    ['bench/server.bench.ts', '../sync-server/src/server.js', 'package name'],
    ['agent/src/cli/test-support/agent-server.ts', '../../../../sync-server/src/compose.js', 'only through its entry'],
    [
      'admin-desktop/src/cli/cli-alerts.int.test.ts',
      '../../../sync-server/test-support/sealed-records.js',
      'only through its entry',
    ],
    [
      'admin-desktop/src/admin/test-support/admin-server.ts',
      '@sealtime/sync-server/src/compose.js',
      'only through its entry',
    ],
    [
      'admin-desktop/src/renderer/views/A.test.tsx',
      '../../../../shared/src/views/test-support/opened-records.js',
      'only through its entry',
    ],
    [
      'admin-desktop/src/core/record-opening.test.ts',
      '@sealtime/sync-server/test-support/sealed-records.js',
      'only through its entry',
    ],
    ['agent/src/testing/index.ts', '@sealtime/sync-server/src/compose.js', 'only through its entry'],
    ['shared/src/policy/p.ts', 'react', 'may import only'],
    ['shared/src/views/v.ts', '../ui/PersonDayView.js', 'renders nothing'],
    ['shared/src/ui/X.tsx', 'node:fs', 'Node builtins'],
    ['agent/src/renderer/Page.tsx', '@sealtime/shared/src/ui/format.js', 'only through its entry'],
    [
      'agent/src/renderer/Page.tsx',
      '@sealtime/admin-desktop/src/renderer/views/index.js',
      'apps do not import each other',
    ],
  ])('flags %s importing %s', (file, spec, rule) => {
    const v = checkImports(file, [spec]);
    expect(v.map((x) => x.rule).join('|')).toContain(rule);
  });

  it.each([
    ['agent/src/electron/main.ts', 'electron'],
    ['admin-desktop/src/main/window.ts', 'electron'],
    ['admin-desktop/src/renderer/App.tsx', '../api/admin-api.js'],
    ['admin-desktop/src/renderer/shell/a.tsx', '../../api/api-guards.js'],
    ['admin-desktop/src/core/replica-store.ts', '@sealtime/shared/node'],
    ['admin-desktop/src/admin/key-custody.ts', './ports.js'],
    ['admin-desktop/src/admin/key-custody.ts', '@sealtime/shared'],
    ['admin-desktop/src/admin/node/profile-store.ts', 'node:fs/promises'],
    ['admin-desktop/src/admin/node/server-client.ts', 'undici'],
    ['admin-desktop/src/admin/node/server-client.ts', '../ports.js'],
    ['admin-desktop/src/core/admin-core.ts', '../admin/node/server-client.js'],
    ['admin-desktop/src/ui-server/ui-server.ts', 'ws'],
    ['shared/src/node/storage-leveldb/index.ts', 'node:fs'],
    ['shared/src/node/storage-leveldb/index.ts', 'classic-level'],
    ['shared/src/envelope/sodium.ts', 'libsodium-wrappers'],
    ['shared/src/envelope/sodium.ts', 'libsodium-wrappers-sumo'],
    ['shared/src/envelope/sodium.ts', 'sodium-native'],
    ['shared/src/envelope/public-blake2b.ts', 'hash-wasm'],
    ['shared/src/records/a.ts', 'rxdb'],
    ['agent/src/compose.ts', '@sealtime/shared/node'],
    ['bench/server/fixture.ts', '@sealtime/sync-server/src/server.js'],
    ['test-support/org-fixture/store-org.ts', '@sealtime/admin-desktop/node'],
    ['test-support/org-fixture/seal-device.ts', '@sealtime/agent/src/recorder/record-sealing.js'],
    ['scripts/start.ts', '@sealtime/sync-server'],
    ['bench/admin/org-cache.ts', '@sealtime/admin-desktop/testing'],
    ['vitest.global-setup.ts', '@sealtime/admin-desktop/src/cli/renderer-build.js'],
    ['agent/src/cli/test-support/agent-server.ts', '@sealtime/sync-server/testing'],
    ['admin-desktop/src/renderer/views/A.test.tsx', '@sealtime/shared/testing'],
    ['admin-desktop/src/admin/admin-flow.int.test.ts', '@sealtime/agent/testing'],
    ['agent/src/recorder/recorder.fixture.ts', '../../../test-support/wait-for.js'],
    ['sync-server/src/testing/index.ts', '../../test-support/sealed-records.js'],
    ['shared/src/ui/PersonDayView.tsx', 'react'],
    ['shared/src/ui/format.ts', '@date-fns/tz'],
    ['admin-desktop/src/renderer/views/index.ts', '@sealtime/shared/ui'],
    ['agent/src/renderer/PrivacyCentre.tsx', '@sealtime/shared/ui'],
    ['agent/src/renderer/privacy-centre.tsx', '@sealtime/shared/ui/person-day.css'],
  ])('allows %s importing %s', (file, spec) => {
    expect(checkImports(file, [spec])).toEqual([]);
  });
});
