/**
 * What the Electron build tests read from a bundle: its bare import
 * specifiers, and whether each is electron, a Node builtin or a dependency
 * the packed app declares (anything else would be missing at run time).
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** The npm package a specifier names (`@scope/name/sub` → `@scope/name`). */
const packageOf = (spec: string) =>
  spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;

/**
 * Bare specifiers of `from`, `import(` and `require(`. `from` counts only as
 * a keyword (after a space or `}`): the API contracts hold strings such as
 * "from"; `.require(` is a method (x11's `client.require`), not an import.
 */
export function bareImports(code: string): string[] {
  return [
    ...code.matchAll(/(?:(?<=[\s}])from\s*|(?<![.\w$])import\s*\(\s*|(?<![.\w$])require\(\s*)["']([^"'./][^"']*)["']/g),
  ].map((m) => m[1]!);
}

/** The `dependencies` of the workspaces whose code a bundle packs. */
export function declaredDependencies(...workspaces: string[]): Set<string> {
  return new Set(
    workspaces.flatMap((dir) =>
      Object.keys(
        (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> })
          .dependencies,
      ),
    ),
  );
}

/** The bare imports that would not resolve in the packed app: neither electron, a builtin nor declared. */
export function undeclaredImports(specs: readonly string[], declared: ReadonlySet<string>): string[] {
  return specs.filter((s) => s !== 'electron' && !builtins.has(s) && !declared.has(packageOf(s)));
}
