/**
 * The window loads the renderer from app://sealtime/ instead of file://, so
 * the renderer's relative URLs work as in the ui mode: its files and the
 * core's one-time image URLs (/img/<token>, decrypted in memory, never on
 * disk) come from one origin that the CSP can name as 'self'. Every
 * response carries the CSP header.
 */
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { contentSecurityPolicy } from './csp.js';
import { contentTypeOf, resolveAppPath } from './app-paths.js';
import { batchTokens, encodeImageBatch, IMAGE_BATCH_PATH } from '../core/image-batch.js';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://sealtime';

/** Before app ready: a standard, secure scheme (fetch, relative URLs, no mixed content). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export interface AppProtocolOptions {
  rendererDir: string;
  serverOrigin: string | null;
  takeImage(token: string): Promise<{ bytes: Uint8Array; contentType: string }>;
  takeThumbs(
    tokens: readonly string[],
  ): Promise<Array<{ token: string; image: { bytes: Uint8Array; contentType: string } }>>;
}

export function serveAppProtocol(o: AppProtocolOptions): void {
  const csp = contentSecurityPolicy(o.serverOrigin);
  const respond = (
    status: number,
    body: BodyInit | null,
    type = 'text/plain; charset=utf-8',
    extra: Record<string, string> = {},
  ) =>
    new Response(body, {
      status,
      headers: { 'content-type': type, 'content-security-policy': csp, 'x-content-type-options': 'nosniff', ...extra },
    });
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'sealtime' || request.method !== 'GET') return respond(404, 'not found');
    if (url.pathname === IMAGE_BATCH_PATH) {
      const tokens = batchTokens(url.searchParams);
      if (!tokens) return respond(400, 'bad image batch');
      try {
        const batch = encodeImageBatch(await o.takeThumbs(tokens));
        return respond(200, batch.body, batch.contentType, { 'cache-control': 'no-store' });
      } catch {
        return respond(404, 'images not available');
      }
    }
    if (url.pathname.startsWith('/img/')) {
      try {
        const img = await o.takeImage(url.pathname.slice('/img/'.length));
        // decrypted bytes: never cached by Chromium
        return respond(200, Buffer.from(img.bytes), img.contentType, { 'cache-control': 'no-store' });
      } catch {
        return respond(404, 'image not available');
      }
    }
    const file = resolveAppPath(o.rendererDir, url.pathname);
    if (!file) return respond(404, 'not found');
    try {
      return respond(200, await readFile(file), contentTypeOf(file));
    } catch {
      return respond(404, 'not found');
    }
  });
}
