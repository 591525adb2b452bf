/**
 * The Content-Security-Policy of every agent window, sent as a response
 * header and repeated in each page's meta tag. The pages talk to nothing but
 * the preload bridge: no network, no inline or eval'd script, no plugins.
 *
 * Same shape as admin-desktop/src/main/csp.ts, minus its connect-src to the
 * server (the agent renderer never fetches); see the report on sharing one builder.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'none'",
  "font-src 'none'",
  "media-src 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Response headers with our CSP replacing any the response carried (whatever its case). */
export function withCsp(headers: Record<string, string[] | string> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() === 'content-security-policy') continue;
    out[k] = Array.isArray(v) ? v : [v];
  }
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return out;
}
