import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startDisplay, type TestDisplay } from '../../../test-support/xvfb.js';
import { connectX, XA } from './x11-connection.js';

describe('connectX under Xvfb', () => {
  let x: TestDisplay;
  beforeAll(async () => {
    x = await startDisplay({ width: 320, height: 200, windowManager: false });
  });
  afterAll(async () => {
    await x?.stop();
  });

  it('answers requests, and a window that does not exist reads as undefined, not as a broken connection', async () => {
    const c = await connectX(x.display);
    let closed: string | undefined;
    c.onClose((r) => (closed = r));
    try {
      expect(await c.atom('UTF8_STRING')).toBeGreaterThan(68);
      expect(await c.property(0x7ffffff, XA.WM_NAME)).toBeUndefined();
      const img = await c.image(0, 0, 4, 2);
      expect(img.data.length).toBeGreaterThanOrEqual(4 * 2 * 3);
      expect(closed).toBeUndefined();
    } finally {
      c.close();
    }
  });

  it('fails the requests in flight when the connection closes: none is left hanging', async () => {
    const c = await connectX(x.display);
    const inFlight = c.property(c.screen.root, XA.WM_NAME);
    c.close();
    await expect(inFlight).rejects.toThrow(/closed/);
    await expect(c.atom('WM_STATE')).rejects.toThrow(/closed/);
  });
});
