/**
 * Reads the foreground window through get-windows (X11: xprop/xwininfo, so it
 * needs a window manager that sets _NET_ACTIVE_WINDOW). One sample is the app
 * name, the window title and, where the platform gives it, the browser URL.
 * Length limits follow the app-event payload so a sample always fits.
 */
import { execFile } from 'node:child_process';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { activeWindow } from 'get-windows';

const execFileP = promisify(execFile);

export interface WindowSample {
  /** Application name (X11: WM_CLASS class, e.g. "XTerm"). */
  app: string;
  title: string;
  url?: string;
  /** Executable path, when known: excluded-app matching also looks at its file name. */
  path?: string;
}

export type WindowSampler = () => Promise<WindowSample | undefined>;

const MAX_APP = 256;
export const MAX_TITLE = 1024;
const MAX_URL = 2048;

export function toWindowSample(
  raw: { title?: unknown; url?: unknown; owner?: { name?: unknown; path?: unknown } } | undefined,
): WindowSample | undefined {
  if (!raw) return undefined;
  const path = typeof raw.owner?.path === 'string' && raw.owner.path !== '' ? raw.owner.path : undefined;
  const named = typeof raw.owner?.name === 'string' ? raw.owner.name.trim() : '';
  const app = (named || (path ? basename(path) : '') || 'unknown').slice(0, MAX_APP);
  const title = typeof raw.title === 'string' ? raw.title.slice(0, MAX_TITLE) : '';
  const sample: WindowSample = { app, title };
  if (typeof raw.url === 'string' && raw.url !== '') sample.url = raw.url.slice(0, MAX_URL);
  if (path) sample.path = path;
  return sample;
}

/** The real sampler. get-windows swallows its own errors and then answers undefined. */
export const getWindowsSampler: WindowSampler = async () => {
  // no permission prompts on macOS from a background agent
  const raw = await activeWindow({ accessibilityPermission: false, screenRecordingPermission: false });
  const sample = toWindowSample(raw);
  if (sample && sample.title === '' && raw?.platform === 'linux')
    sample.title = (await x11TitleFallback(raw.id)).slice(0, MAX_TITLE);
  return sample;
};

/**
 * get-windows reads only _NET_WM_NAME(UTF8_STRING) and WM_NAME(STRING); xterm
 * and other old clients put a non-ASCII title in WM_NAME(COMPOUND_TEXT). xprop
 * converts that to UTF-8 for us; the WM's _NET_WM_VISIBLE_NAME comes first.
 */
export async function x11TitleFallback(windowId: number, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (!Number.isInteger(windowId) || windowId <= 0) return '';
  try {
    const { stdout } = await execFileP('xprop', ['-id', String(windowId), '_NET_WM_VISIBLE_NAME', 'WM_NAME'], {
      env: { ...env, LC_ALL: 'C.UTF-8' },
      timeout: 2000,
    });
    return parseXpropTitle(stdout);
  } catch {
    return '';
  }
}

/** First quoted value of `NAME(TYPE) = "…"` lines, unescaped. */
export function parseXpropTitle(stdout: string): string {
  for (const line of stdout.split('\n')) {
    const m = /^[A-Z0-9_]+\([A-Z0-9_]+\) = "((?:[^"\\]|\\.)*)"/.exec(line);
    if (m?.[1] !== undefined && m[1] !== '') return m[1].replace(/\\(.)/g, '$1');
  }
  return '';
}

/** Case-insensitive match of an excluded-app entry against the app name or the executable's file name. */
export function matchesApp(
  sample: Pick<WindowSample, 'app' | 'path'> | undefined,
  entries: readonly string[],
): string | undefined {
  if (!sample || entries.length === 0) return undefined;
  const names = [sample.app, sample.path ? basename(sample.path) : undefined]
    .filter((n): n is string => typeof n === 'string' && n !== '')
    .map((n) => n.toLowerCase());
  return entries.find((e) => names.includes(e.trim().toLowerCase()));
}
