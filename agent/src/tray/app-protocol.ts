/**
 * The renderer pages load from a private scheme, sealtime-app://app/…, not
 * file://: a file: page may read any local file through subresource loads,
 * while this handler serves only the compiled renderer folder, by an
 * allowlist of extensions, with no way out of it ('..', encoded or not).
 * IPC accepts messages only from frames at this origin.
 */
import { extname, resolve, sep } from 'node:path';

export const APP_SCHEME = 'sealtime-app';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export type AppPage = 'privacy-centre' | 'idle-prompt' | 'project-search';

export function pageUrl(page: AppPage): string {
  return `${APP_ORIGIN}/${page}.html`;
}

/** True for a URL of our own pages (IPC sender check, navigation check). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'app';
  } catch {
    return false;
  }
}

/** The file to serve for a request, or null (404): only files under `root` with an allowed type. */
export function resolveAppRequest(url: string, root: string): { path: string; contentType: string } | null {
  if (!isAppUrl(url)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null; // malformed escapes
  }
  if (
    pathname.includes('\0') ||
    pathname.includes('\\') ||
    pathname.split('/').some((seg) => seg === '..' || seg.startsWith('.'))
  )
    return null;
  const base = resolve(root);
  const path = resolve(base, '.' + pathname);
  if (!path.startsWith(base + sep)) return null;
  const contentType = TYPES[extname(path).toLowerCase()];
  if (!contentType) return null;
  return { path, contentType };
}
