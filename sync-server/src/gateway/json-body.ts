/**
 * Reads a request body as JSON, or refuses it: a JSON content type is
 * required (express-pouchdb would store a body without one as an empty
 * document), the size is bounded before and while reading, the bytes must be
 * valid UTF-8 (not silently turned into U+FFFD and stored), and the text must
 * parse into a value nested at most MAX_JSON_DEPTH deep (V8 parses any depth,
 * but forwarding re-serialises it recursively: 100 000 levels overflowed the
 * stack, a 500). The caller gets a plain value or a GatewayError, never a
 * partial body.
 */
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { badRequest, GatewayError } from './gateway-errors.js';

/** Deeper than any document the apps write (a policy layer is about 6 levels). */
export const MAX_JSON_DEPTH = 64;

/** How deep arrays and objects nest in `value`, walked without recursion; stops counting past `limit`. */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<{ v: unknown; d: number }> = [{ v: value, d: 1 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) {
      if (typeof child === 'object' && child !== null) stack.push({ v: child, d: d + 1 });
    }
  }
  return false;
}

export function tooLarge(limit: number): GatewayError {
  return new GatewayError('too_large', `the request body exceeds ${limit} bytes`);
}

/** Checks the headers alone, so a refusal can come before any byte of the body is read. */
export function checkJsonHeaders(req: IncomingMessage, limit: number): void {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const [media, ...params] = type.split(';').map((s) => s.trim());
  if (media !== 'application/json') {
    throw new GatewayError('unsupported_media_type', 'the body must be sent as Content-Type: application/json');
  }
  const charset = params.find((p) => p.startsWith('charset='));
  if (charset && charset !== 'charset=utf-8')
    throw new GatewayError('unsupported_media_type', 'JSON bodies must be UTF-8');
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity')
    throw new GatewayError('unsupported_media_type', 'compressed request bodies are not accepted');
  const length = req.headers['content-length'];
  if (length !== undefined && Number(length) > limit) throw tooLarge(limit);
}

export function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  checkJsonHeaders(req, limit);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    const fail = (e: GatewayError): void => {
      if (failed) return;
      failed = true;
      req.off('data', onData);
      // stop buffering; the handler answers and the connection is closed after it
      req.pause();
      reject(e);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) return fail(tooLarge(limit));
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('error', () => fail(badRequest('the request body could not be read')));
    req.once('aborted', () => fail(badRequest('the request body was cut short')));
    req.once('end', () => {
      if (failed) return;
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      if (!isUtf8(bytes)) return fail(badRequest('invalid_utf8: the body is not valid UTF-8'));
      const text = bytes.toString('utf8');
      if (text.trim().length === 0) return fail(badRequest('a JSON body is required'));
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return fail(badRequest('invalid_json: the body is not valid JSON'));
      }
      if (jsonDepthExceeds(value, MAX_JSON_DEPTH))
        return fail(badRequest(`too_deep: JSON may nest at most ${MAX_JSON_DEPTH} levels`));
      resolve(value);
    });
  });
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
