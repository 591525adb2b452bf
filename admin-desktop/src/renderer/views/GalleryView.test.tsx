import { describe, it, expect } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { buildGallery } from '@sealtime/shared';
import { BER, at, shot } from '@sealtime/shared/testing';
import { GalleryView } from './GalleryView.js';

const MON = '2026-06-01';
const noop = () => {};
const gallery = buildGallery({
  employee: { id: 'ana', name: 'Ana Lima', timeZone: BER },
  date: MON,
  timeZone: BER,
  records: [shot(at(MON, '09:04'), { blurred: true, app: 'Bank' }), shot(at(MON, '11:30'), { app: 'Code', screen: 1 })],
});
const shots = gallery.hours.flatMap((h) => h.shots);

describe('GalleryView', () => {
  it('groups by hour and marks blurred shots', () => {
    const html = renderToStaticMarkup(
      <GalleryView
        gallery={gallery}
        onOpen={noop}
        onClose={noop}
        openRecordId={null}
        fullImageUrl={null}
        thumbUrls={{ [shots[1]!.recordId]: 'blob:thumb-2' }}
      />,
    );
    expect(html).toContain('Screenshots — Ana Lima');
    expect(html).toContain('2 screenshots, 1 blurred');
    expect(html).toContain('<h2>09:00</h2>');
    expect(html).toContain('<h2>11:00</h2>');
    expect(html).toContain('Open screenshot 09:04:00 (blurred)');
    expect(html).toContain('Screen 2 · 1920×1080 · 117 KB');
    expect(html).toContain('src="blob:thumb-2"');
    expect(html).not.toContain('role="dialog"');
  });

  it('shows the image URL it is given in the overlay, or a loading note', () => {
    const open = renderToStaticMarkup(
      <GalleryView
        gallery={gallery}
        onOpen={noop}
        onClose={noop}
        openRecordId={shots[0]!.recordId}
        fullImageUrl="/img/one-time-abc"
      />,
    );
    expect(open).toContain('role="dialog"');
    expect(open).toContain('src="/img/one-time-abc"');
    expect(open).toContain('Blurred on the device');
    expect(open).toContain('100 %');
    const loading = renderToStaticMarkup(
      <GalleryView
        gallery={gallery}
        onOpen={noop}
        onClose={noop}
        openRecordId={shots[0]!.recordId}
        fullImageUrl={null}
      />,
    );
    expect(loading).toContain('Loading and decrypting the image');
  });
});
