import { describe, it, expect } from 'vitest';
import { thumbnailSrc } from './thumbnail.js';

describe('thumbnailSrc', () => {
  it.each([
    ['UklGRiQAAABXRUJQ', 'data:image/webp;base64,UklGRiQAAABXRUJQ'],
    ['UklGRg==', 'data:image/webp;base64,UklGRg=='],
    ['data:image/png;base64,iVBORw0K', 'data:image/png;base64,iVBORw0K'],
    ['javascript:alert(1)', undefined],
    ['https://evil.example/x.png', undefined],
    ['data:image/svg+xml;base64,PHN2Zz4=', undefined],
    ['data:text/html;base64,PGI+', undefined],
    ['', undefined],
    [42, undefined],
    [undefined, undefined],
  ])('%j → %j', (input, expected) => {
    expect(thumbnailSrc(input)).toBe(expected);
  });
});
