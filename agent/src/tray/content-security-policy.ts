/**
 * The Content-Security-Policy of every agent window, sent as a response
 * header and repeated in each page's meta tag (without frame-ancestors,
 * which a meta CSP cannot carry: Chromium ignores it there with a console
 * warning; the header alone enforces it). The pages talk to nothing but
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

/** The meta tag's copy: the header's policy minus frame-ancestors. */
export const META_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.split('; ')
  .filter((d) => !d.startsWith('frame-ancestors'))
  .join('; ');

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
