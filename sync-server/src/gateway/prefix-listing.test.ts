// Which _all_docs queries are a listing bounded to one id prefix.
import { describe, expect, it } from 'vitest';
import { withoutDesignDocs } from './design-doc-filter.js';
import { boundedPrefix } from './prefix-listing.js';

const q = (o: Record<string, string>) => new URLSearchParams(o);
const P = 'productivity:organisation:';

describe('bounded prefix listing', () => {
  it.each([
    [{ startkey: JSON.stringify(P), endkey: JSON.stringify(`${P}\ufff0`) }, P],
    [{ startkey: JSON.stringify(P), endkey: JSON.stringify(`${P}\uffff`), include_docs: 'true', limit: '10' }, P],
    [{ startkey: JSON.stringify(P), endkey: JSON.stringify(`${P}\ufff0`), descending: 'true' }, undefined],
    [{ startkey: JSON.stringify(P), endkey: JSON.stringify(`${P}\ufff0`), skip: '1' }, undefined],
    [{ startkey: JSON.stringify(P), endkey: JSON.stringify('q') }, undefined],
    [{ startkey: JSON.stringify(''), endkey: JSON.stringify('\ufff0') }, undefined],
    [{ startkey: JSON.stringify('_design/'), endkey: JSON.stringify('_design/\ufff0') }, undefined],
    [{ startkey: P, endkey: `${P}\ufff0` }, undefined], // not JSON
    [{ start_key: JSON.stringify(P), end_key: JSON.stringify(`${P}\ufff0`) }, undefined],
    [{ endkey: JSON.stringify(`${P}\ufff0`) }, undefined],
    [{}, undefined],
  ])('%j → %s', (params, want) => {
    expect(boundedPrefix(q(params))).toBe(want);
  });

  it('a repeated bound is not bounded', () => {
    const p = q({ startkey: JSON.stringify(P), endkey: JSON.stringify(`${P}\ufff0`) });
    p.append('startkey', JSON.stringify('a'));
    expect(boundedPrefix(p)).toBeUndefined();
  });

  it("the answer keeps only the prefix's rows and does not tell how many documents the database holds", () => {
    const raw = Buffer.from(
      JSON.stringify({
        total_rows: 40,
        offset: 12,
        rows: [
          { id: `${P}acme`, key: `${P}acme`, value: { rev: '1-a' } },
          { id: 'productivity:team:t2', key: 'productivity:team:t2', value: { rev: '1-b' } },
        ],
      }),
    );
    const out = JSON.parse(withoutDesignDocs(raw, 'rows', (id) => id.startsWith(P)).toString()) as {
      total_rows: number;
      offset: number;
      rows: Array<{ id: string }>;
    };
    expect(out.rows.map((r) => r.id)).toEqual([`${P}acme`]);
    expect([out.total_rows, out.offset]).toEqual([1, 0]);
  });
});
