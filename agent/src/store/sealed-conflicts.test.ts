import { describe, expect, it } from 'vitest';
import { ownSealedWins, SealedConflicts, type SealedConflict } from './sealed-conflicts.js';

type Doc = {
  id: string;
  envelope: string;
  _deleted: boolean;
  _meta: { lwt: number };
  _rev: string;
  _attachments: Record<string, never>;
};
const doc = (envelope: string, extra: Partial<Doc> = {}): Doc => ({
  id: 'd1:000000000005',
  envelope,
  _deleted: false,
  _meta: { lwt: 1 },
  _rev: '1-a',
  _attachments: {},
  ...extra,
});

describe('own sealed documents win conflicts', () => {
  it('calls two states equal exactly when envelope and deletion agree', () => {
    const h = ownSealedWins<Doc>('records', new SealedConflicts());
    expect(h.isEqual(doc('A'), doc('A', { _rev: '2-b', _meta: { lwt: 9 } }), 't')).toBe(true);
    expect(h.isEqual(doc('A'), doc('B'), 't')).toBe(false);
    expect(h.isEqual(doc('A'), doc('A', { _deleted: true }), 't')).toBe(false);
  });

  it('keeps the local document and announces a different server copy once', async () => {
    const hub = new SealedConflicts();
    const seen: SealedConflict[] = [];
    hub.on(() => {
      throw new Error('a broken listener');
    });
    hub.on((c) => seen.push(c));
    const h = ownSealedWins<Doc>('records', hub);
    const local = doc('genuine');
    expect(await h.resolve({ newDocumentState: local, realMasterState: doc('forged') }, 't')).toBe(local);
    expect(await h.resolve({ newDocumentState: local, realMasterState: doc('forged') }, 't')).toBe(local);
    expect(await h.resolve({ newDocumentState: local, realMasterState: doc('x', { _deleted: true }) }, 't')).toBe(
      local,
    );
    expect(seen).toEqual([expect.objectContaining({ collection: 'records', id: local.id, server: 'different' })]);
    // the same document on both sides (an acknowledgement lost in a crash) is no conflict
    const quiet = new SealedConflicts();
    const none: SealedConflict[] = [];
    quiet.on((c) => none.push(c));
    expect(
      await ownSealedWins<Doc>('blobs', quiet).resolve(
        { newDocumentState: local, realMasterState: doc('genuine', { _rev: '3-c' }) },
        't',
      ),
    ).toBe(local);
    expect(none).toEqual([]);
  });
});
