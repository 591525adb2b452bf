import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { buildGallery } from '@sealtime/shared';
import { BER, at, shot } from '@sealtime/shared/testing';
import { DeleteRangeDialog, GalleryView } from './GalleryView.js';

const MON = '2026-06-01';
const noop = () => {};
const gallery = buildGallery({
  employee: { id: 'ana', name: 'Ana Lima', timeZone: BER },
  date: MON,
  timeZone: BER,
  records: [shot(at(MON, '09:04'), { app: 'Code' })],
});

describe('GalleryView deletion', () => {
  it('offers delete per screenshot and by date range only when given the handlers', () => {
    const withDelete = renderToStaticMarkup(
      <GalleryView
        gallery={gallery}
        onOpen={noop}
        onClose={noop}
        openRecordId={null}
        fullImageUrl={null}
        onDelete={noop}
        onDeleteRange={noop}
      />,
    );
    expect(withDelete).toContain('aria-label="Delete screenshot 09:04:00"');
    expect(withDelete).toContain('Delete a date range…');
    const without = renderToStaticMarkup(
      <GalleryView gallery={gallery} onOpen={noop} onClose={noop} openRecordId={null} fullImageUrl={null} />,
    );
    expect(without).not.toContain('Delete');
  });

  it('the range dialog says what is purged and where, for whom and which days', () => {
    const html = renderToStaticMarkup(<DeleteRangeDialog name="Ana Lima" date={MON} onDelete={noop} onCancel={noop} />);
    expect(html).toContain('Deletes every screenshot of Ana Lima from Mon 1 Jun 2026 to Mon 1 Jun 2026');
    expect(html).toContain('purged on the server and removed from this app&#x27;s replica and image cache');
    expect(html).not.toMatch(/<button[^>]*disabled[^>]*>Delete these screenshots/);
  });
});
