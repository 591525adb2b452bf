/**
 * The policy editor's unsaved edits and how they become a PolicyEdit: what a
 * person typed per field (text, as inputs hold it), clears back to inherit,
 * and lock changes. Only the text's form is checked here (a number, a list);
 * ranges and paths are the core's to check, with the CLI's own parser.
 */
import type { PolicyEdit, PolicyScope, PolicySettingView, PolicyValue } from '../../api/admin-api.js';

export type DraftEntry = { op: 'set'; text: string } | { op: 'clear' };

export interface PolicyDraft {
  values: Record<string, DraftEntry>;
  /** path → lock wanted (true) or unlock (false), where it differs from the layer. */
  locks: Record<string, boolean>;
}

export const EMPTY_DRAFT: PolicyDraft = { values: {}, locks: {} };

export const isEmptyDraft = (d: PolicyDraft): boolean =>
  Object.keys(d.values).length === 0 && Object.keys(d.locks).length === 0;

/** The text an input starts from for a value. */
export function valueText(v: PolicyValue | undefined): string {
  if (v === undefined) return '';
  return Array.isArray(v) ? v.join(', ') : String(v);
}

function parse(setting: PolicySettingView, text: string): PolicyValue | string {
  const t = text.trim();
  switch (setting.spec.kind) {
    case 'boolean':
      return t === 'true' ? true : t === 'false' ? false : 'choose on or off';
    case 'integer':
      return /^-?\d{1,12}$/.test(t) ? Number(t) : `enter a whole number (${setting.spec.min}–${setting.spec.max})`;
    case 'enum':
      return setting.spec.values.includes(t) ? t : `choose one of ${setting.spec.values.join(', ')}`;
    case 'app-list':
      return t === ''
        ? []
        : t
            .split(/[\n,]/)
            .map((s) => s.trim())
            .filter((s) => s !== '');
  }
}

export function draftToEdit(
  scope: PolicyScope,
  draft: PolicyDraft,
  settings: readonly PolicySettingView[],
): { edit: PolicyEdit; errors: Array<{ path: string; message: string }> } {
  const set: Record<string, PolicyValue> = {};
  const clear: string[] = [];
  const errors: Array<{ path: string; message: string }> = [];
  for (const [path, entry] of Object.entries(draft.values)) {
    const s = settings.find((x) => x.path === path);
    if (!s) continue;
    if (entry.op === 'clear') {
      clear.push(path);
      continue;
    }
    const v = parse(s, entry.text);
    if (typeof v === 'string') errors.push({ path, message: v });
    else set[path] = v;
  }
  const lock = Object.entries(draft.locks)
    .filter(([, on]) => on)
    .map(([p]) => p);
  const unlock = Object.entries(draft.locks)
    .filter(([, on]) => !on)
    .map(([p]) => p);
  const edit: PolicyEdit = {
    scope,
    ...(Object.keys(set).length > 0 ? { set } : {}),
    ...(clear.length > 0 ? { clear } : {}),
    ...(lock.length > 0 ? { lock } : {}),
    ...(unlock.length > 0 ? { unlock } : {}),
  };
  return { edit, errors };
}
