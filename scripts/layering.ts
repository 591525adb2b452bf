/**
 * The layer rule of DESIGN.md as code, VS Code style: the folder a file sits in
 * decides what it may import. `checkImports` is pure (file path + the import
 * specifiers TypeScript's preProcessFile finds) so the rule itself is tested on
 * synthetic cases as well as on the real tree.
 */
import { builtinModules } from 'node:module';

export interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** npm packages the pure domain may use: pure JS, no I/O. */
// libsodium-wrappers-sumo: the same wrappers built with crypto_pwhash (Argon2id), which the slim build omits.
const DOMAIN_PACKAGES = ['rxdb', 'rxjs', 'date-fns', 'libsodium-wrappers', 'libsodium-wrappers-sumo'];
// sodium-native: the same libsodium as a native addon, loaded by sodium.ts when it can (Node, Electron's main process)
const SODIUM = ['libsodium-wrappers', 'libsodium-wrappers-sumo', 'sodium-native'];
const APP_PACKAGES = ['@sealtime/agent', '@sealtime/sync-server', '@sealtime/admin-desktop'];
const REACT = ['react', 'react-dom'];
/** shared/src/ui: presentational React components both renderers import (@sealtime/shared/ui). */
const UI_PACKAGES = [...DOMAIN_PACKAGES, 'react', '@date-fns/tz'];
/** The workspace folders, by package name. */
const PACKAGE_DIRS: Readonly<Record<string, string>> = {
  '@sealtime/shared': 'shared',
  '@sealtime/sync-server': 'sync-server',
  '@sealtime/agent': 'agent',
  '@sealtime/admin-desktop': 'admin-desktop',
};
const WORKSPACES = new Set(Object.values(PACKAGE_DIRS));
/** The ways into a package from another one: its public entries and its testing entry (package.json `exports`). */
const PUBLIC_ENTRIES = new Set(['', 'node', 'testing', 'views', 'ui', 'ui/person-day.css', 'ui/base.css']);
const PUBLIC_ENTRY_LIST = '@sealtime/<package>, /node, /views, /ui, /testing';

/**
 * Root tools (bench/, scripts/, test-support/, the root tests) reach a workspace through its entries as the
 * packages do. These few need internals that no entry should carry; each says why. Paths are relative to the
 * repository, as `<workspace dir>/src/...`.
 */
export const ROOT_TOOL_INTERNALS: ReadonlyArray<{ tools: RegExp; target: RegExp; why: string }> = [
  {
    tools: /^bench\/agent\//,
    target: /^agent\/src\//,
    why: 'the agent benchmarks time its parts one by one: recorder, store, backlog, sync, control socket',
  },
  {
    tools: /^scripts\/build-agent-app\.ts$/,
    target: /^agent\/src\/tray\/malloc-env\.js$/,
    why: "the headless agent's shebang carries the same malloc settings the tray app relaunches with (one table)",
  },
  {
    tools: /^bench\/server\//,
    target: /^sync-server\/src\//,
    why: 'the server benchmark assembles the gateway from its parts to profile them',
  },
  {
    tools: /^bench\/(agent|admin)\//,
    target: /^sync-server\/src\/engine\/pouch-modules\./,
    why: 'benchmark replication runs on the very PouchDB build the server and the agent use',
  },
  {
    tools: /^bench\/admin\/slots\.ts$/,
    target: /^admin-desktop\/src\/core\//,
    why: 'the admin benchmark times the app core, which only the app runs',
  },
  {
    tools: /^bench\/admin\/work-core-timings\.ts$/,
    target: /^admin-desktop\/src\/(core|api)\//,
    why: "the admin benchmark times issue 17's reports through the app core's own subscriptions",
  },
  {
    tools: /^test-support\/org-fixture\//,
    target: /^agent\/src\/(recorder|collectors|sync|version)/,
    why: "the org fixture seals and pushes records as a device does, with the agent's own code, without running an agent per device",
  },
  {
    tools: /^(scripts\/build-admin-app\.ts|vitest\.global-setup\.ts)$/,
    target: /^admin-desktop\/src\/cli\/renderer-build\./,
    why: 'build tooling builds the renderer the app serves',
  },
];

function packageName(spec: string): string {
  if (spec.startsWith('@')) return spec.split('/').slice(0, 2).join('/');
  return spec.split('/')[0] ?? spec;
}

const isRelative = (s: string) => s.startsWith('.');
// the root test-support/ (shared test helpers, the org fixture) drives the apps as tests do
// *.fixture.ts and a package's testing entry (src/testing/) are test support too
const isTest = (f: string) =>
  /\.(test|spec|fixture)\.tsx?$/.test(f) ||
  f.includes('/test-support/') ||
  f.startsWith('test-support/') ||
  /^[^/]+\/src\/testing\//.test(f);
/** Benchmarks and the demo script drive the apps from outside, as integration tests do, so they may import them by package name (through their entries). */
const isBench = (f: string) => f.startsWith('bench/') || f === 'scripts/start.ts' || f.startsWith('scripts/soak-');
/** Shell folders that may import electron. */
const isElectronShell = (f: string) => /(^|\/)(electron|main)\//.test(f);

function resolveRelative(file: string, spec: string): string {
  const parts = file.split('/').slice(0, -1);
  for (const seg of spec.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

export function checkImports(file: string, specifiers: readonly string[]): Violation[] {
  const out: Violation[] = [];
  const add = (specifier: string, rule: string) => out.push({ file, specifier, rule });
  const inShared = file.startsWith('shared/');
  const inSharedDomain = inShared && file.startsWith('shared/src/') && !file.startsWith('shared/src/node/');
  const inSharedUi = file.startsWith('shared/src/ui/');
  const inRenderer = file.startsWith('admin-desktop/src/renderer/');
  const inAdminCore = file.startsWith('admin-desktop/src/core/');
  const inAdminApi = file.startsWith('admin-desktop/src/api/');
  const inAdminUseCases =
    file.startsWith('admin-desktop/src/admin/') && !file.startsWith('admin-desktop/src/admin/node/');
  const pureServerRules =
    file === 'sync-server/src/auth/access-rules.ts' || file === 'sync-server/src/auth/principal.ts';

  for (const spec of specifiers) {
    const pkg = isRelative(spec) ? null : packageName(spec);
    if (pkg === 'electron' && !isElectronShell(file))
      add(spec, 'electron is imported only under an electron/ or main/ folder');
    if (inShared) {
      if (pkg && APP_PACKAGES.includes(pkg)) add(spec, 'shared/ never imports an app package');
      if (isRelative(spec) && !resolveRelative(file, spec).startsWith('shared/'))
        add(spec, 'shared/ never reaches outside itself');
    }
    if (inSharedDomain && !isTest(file)) {
      if (isRelative(spec) && resolveRelative(file, spec).startsWith('shared/src/node'))
        add(spec, 'the pure domain never imports its node-only adapters');
      if (pkg && NODE_BUILTINS.has(spec))
        add(spec, 'the pure domain does no I/O: Node builtins only under shared/src/node');
      const allowed = inSharedUi ? UI_PACKAGES : DOMAIN_PACKAGES;
      if (
        pkg &&
        !NODE_BUILTINS.has(spec) &&
        !allowed.includes(pkg) &&
        !(pkg === 'sodium-native' && file.endsWith('envelope/sodium.ts')) &&
        // hash-wasm: BLAKE2b of public bytes, pure computation, in the one file that says which (public-blake2b.ts)
        !(pkg === 'hash-wasm' && file.endsWith('envelope/public-blake2b.ts'))
      )
        add(spec, `the pure domain may import only ${allowed.join(', ')}`);
      if (!inSharedUi && isRelative(spec) && resolveRelative(file, spec).startsWith('shared/src/ui'))
        add(spec, 'the pure domain renders nothing: it never imports shared/src/ui');
      if (pkg && SODIUM.includes(pkg) && !file.endsWith('envelope/sodium.ts'))
        add(spec, 'libsodium-wrappers is bound in one file: shared/src/envelope/sodium.ts');
    }
    if ((inRenderer || pureServerRules) && !isTest(file)) {
      if (pkg && NODE_BUILTINS.has(spec)) add(spec, 'renderer and pure rules use no Node builtins');
      if (
        pkg === '@sealtime/shared' &&
        spec !== '@sealtime/shared' &&
        spec !== '@sealtime/shared/views' &&
        !(
          inRenderer &&
          (spec === '@sealtime/shared/ui' || (spec.startsWith('@sealtime/shared/ui/') && spec.endsWith('.css')))
        )
      )
        add(spec, 'renderer and pure rules use only the pure entry of @sealtime/shared');
    }
    // the admin app (decision 7): core = plain Node, no UI; api = the contract both sides import;
    // renderer = UI that reaches the core only through the api contract
    const adminArea = (f: string) => /^admin-desktop\/src\/([^/]+)\//.exec(f)?.[1] ?? null;
    if (inAdminCore && !isTest(file) && pkg && REACT.includes(pkg))
      add(spec, 'the admin core renders nothing: no react');
    if (inAdminApi && !isTest(file)) {
      if (pkg && (NODE_BUILTINS.has(spec) || pkg === 'ws' || REACT.includes(pkg)))
        add(spec, 'the admin api contract runs in the renderer too: no Node, no ws, no react');
      if (isRelative(spec) && adminArea(resolveRelative(file, spec) + '/') !== 'api')
        add(spec, 'the admin api contract imports only itself');
    }
    if (inRenderer && !isTest(file) && isRelative(spec)) {
      const area = adminArea(resolveRelative(file, spec) + '/');
      if (area !== 'renderer' && area !== 'api')
        add(spec, 'the renderer reaches the core only through admin-desktop/src/api');
    }
    // the admin use-cases (admin-desktop/src/admin outside its node/ folder) are pure like the domain: they get the
    // server and the profile through ports.ts, so a GUI or a test can hand them its own; HTTP and disk live in admin/node/
    if (inAdminUseCases && !isTest(file)) {
      if (pkg && NODE_BUILTINS.has(spec))
        add(spec, 'the admin use-cases do no I/O: Node builtins only under admin-desktop/src/admin/node');
      else if (
        pkg &&
        !(pkg === '@sealtime/shared' && ['@sealtime/shared', '@sealtime/shared/views'].includes(spec)) &&
        !DOMAIN_PACKAGES.includes(pkg)
      ) {
        add(
          spec,
          `the admin use-cases may import only the pure entries of @sealtime/shared and ${DOMAIN_PACKAGES.join(', ')} (no HTTP client: admin-desktop/src/admin/node)`,
        );
      }
      if (isRelative(spec)) {
        const target = resolveRelative(file, spec);
        if (target.startsWith('admin-desktop/src/admin/node/'))
          add(spec, 'the admin use-cases never import their node adapters');
        else if (!target.startsWith('admin-desktop/src/admin/'))
          add(spec, 'the admin use-cases import only themselves');
      }
    }
    // build tooling (scripts/build-*.ts, the test run's global setup) builds the apps: it may reach their build helpers
    const isBuildTool = /^scripts\/build-[a-z-]+\.ts$/.test(file) || file === 'vitest.global-setup.ts';
    if (!isTest(file) && !isBench(file) && !isBuildTool && pkg && APP_PACKAGES.includes(pkg))
      add(spec, 'apps do not import each other');
    // inside a workspace, tests included: another package only through its public or testing entry
    // (the root tools — bench/, scripts/, test-support/ — are held to the same below, with ROOT_TOOL_INTERNALS)
    const ownDir = file.split('/')[0]!;
    if (WORKSPACES.has(ownDir)) {
      if (pkg && PACKAGE_DIRS[pkg] && PACKAGE_DIRS[pkg] !== ownDir && !PUBLIC_ENTRIES.has(spec.slice(pkg.length + 1))) {
        add(spec, `another package is reached only through its entry: ${pkg}, ${pkg}/testing`);
      }
      const targetDir = isRelative(spec) ? resolveRelative(file, spec).split('/')[0]! : null;
      if (isTest(file) && targetDir && targetDir !== ownDir && WORKSPACES.has(targetDir)) {
        add(spec, `another package is reached only through its entry: @sealtime/${targetDir}/testing`);
      }
    }
    if (!WORKSPACES.has(ownDir)) {
      // a root tool: a workspace only through its entries, or an internal ROOT_TOOL_INTERNALS lists with its reason
      const sub = pkg && PACKAGE_DIRS[pkg] ? spec.slice(pkg.length + 1) : null;
      const target =
        sub !== null && !PUBLIC_ENTRIES.has(sub)
          ? `${PACKAGE_DIRS[pkg!]}/${sub}`
          : isRelative(spec) && WORKSPACES.has(resolveRelative(file, spec).split('/')[0]!)
            ? resolveRelative(file, spec)
            : null;
      if (target && !ROOT_TOOL_INTERNALS.some((x) => x.tools.test(file) && x.target.test(target))) {
        add(
          spec,
          `a root tool reaches a package only through its entries (${PUBLIC_ENTRY_LIST}), or ROOT_TOOL_INTERNALS in scripts/layering.ts says why it needs more`,
        );
      }
    }
    if (!isTest(file) && isRelative(spec)) {
      const own = file.split('/')[0];
      const target = resolveRelative(file, spec).split('/')[0];
      // the shared test helpers (X displays, simulated organisation) are tools, usable by benches and the demo too
      const toolsUsingHelpers = isBench(file) && target === 'test-support';
      if (own !== target && !toolsUsingHelpers) add(spec, 'a package reaches another only through its package name');
    }
  }
  return out;
}
