/**
 * A listing of one family of ids: `_all_docs?startkey="P"&endkey="P\ufff0"`.
 * The access rules may grant such a listing where they grant no full one
 * (a manager lists the organisation's productivity rule sets in the
 * directory, whose id carries an organisation id the manager's keys do not
 * name). Only that exact shape counts as bounded: anything that could widen
 * or reorder the range (descending, other bounds, skip) makes it an ordinary
 * listing, decided as one. The gateway also cuts the answer's rows to the
 * prefix, so the grant does not rest on the engine's collation.
 */
const ALLOWED = new Set(['startkey', 'endkey', 'include_docs', 'limit', 'conflicts']);
const ENDS = ['\ufff0', '\uffff'];

export function boundedPrefix(q: URLSearchParams): string | undefined {
  for (const k of q.keys()) if (!ALLOWED.has(k)) return undefined;
  const read = (name: string): string | undefined => {
    const all = q.getAll(name);
    if (all.length !== 1) return undefined;
    try {
      const v = JSON.parse(all[0]!) as unknown;
      return typeof v === 'string' ? v : undefined;
    } catch {
      return undefined;
    }
  };
  const start = read('startkey');
  const end = read('endkey');
  if (!start || end === undefined || start.startsWith('_')) return undefined;
  return ENDS.some((e) => end === start + e) ? start : undefined;
}
