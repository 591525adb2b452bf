/**
 * Engine answers handed to the client: listings read whole (design documents
 * left out), everything else streamed with backpressure.
 */
import type { ServerResponse } from 'node:http';
import { withoutDesignDocs } from './design-doc-filter.js';
import { readUpstream, type UpstreamResponse } from './upstream.js';

/** Where an answer goes (an endpoint's context has it). */
export interface AnswerTarget {
  res: ServerResponse;
}

/** Listings are read whole so that design documents can be left out (design-doc-filter.ts). */
export async function relayWithoutDesignDocs(
  ctx: AnswerTarget,
  upRes: UpstreamResponse,
  listKey: 'results' | 'rows',
  keep?: (id: string) => boolean,
): Promise<number> {
  const status = upRes.statusCode ?? 502;
  const raw = await readUpstream(upRes);
  const out = status === 200 ? withoutDesignDocs(raw, listKey, keep) : raw;
  ctx.res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(out.length) });
  ctx.res.end(out);
  return status;
}

const ignore = (): void => undefined;

/**
 * Streams an engine answer to the client, with backpressure; settles when
 * the answer is sent or either side went away (a client that left
 * mid-answer is not an error). Hand-rolled because stream.pipeline's
 * bookkeeping (an AbortController, end-of-stream watchers on both sides)
 * was a tenth of the gateway's own time per request (bench:server).
 */
function pipeAnswer(src: UpstreamResponse, dst: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      src.off('data', onData);
      src.off('end', onEnd);
      src.off('close', onSrcClose);
      dst.off('drain', onDrain);
      dst.off('close', onDstClose);
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      if (!dst.write(chunk)) src.pause();
    };
    const onDrain = (): void => {
      src.resume();
    };
    const onEnd = (): void => {
      dst.end();
      settle();
    };
    // the engine failed mid-answer: cut the client's answer short rather than end it as if complete
    const onSrcClose = (): void => {
      if (src.readableEnded || settled) return;
      dst.destroy();
      settle();
    };
    const onDstClose = (): void => {
      if (!src.readableEnded) src.destroy();
      settle();
    };
    // kept for good: an engine error after the client left must not become an unhandled 'error'
    src.on('error', ignore);
    // either side may have gone while the engine was being asked: their 'close' has been and gone
    if (dst.destroyed) return onDstClose();
    if (src.destroyed) return onSrcClose();
    src.on('data', onData);
    src.once('end', onEnd);
    src.once('close', onSrcClose);
    dst.on('drain', onDrain);
    dst.once('close', onDstClose);
  });
}

export async function relay(ctx: AnswerTarget, upRes: UpstreamResponse): Promise<number> {
  const status = upRes.statusCode ?? 502;
  const headers: Record<string, string> = {
    'content-type': String(upRes.headers['content-type'] ?? 'application/json'),
  };
  if (typeof upRes.headers.etag === 'string') headers.etag = upRes.headers.etag;
  if (upRes.whole) {
    // known whole: one write with a length, no chunked framing, no stream plumbing
    headers['content-length'] = String(upRes.whole.length);
    ctx.res.writeHead(status, headers);
    ctx.res.end(upRes.whole);
    return status;
  }
  ctx.res.writeHead(status, headers);
  await pipeAnswer(upRes, ctx.res);
  return status;
}
