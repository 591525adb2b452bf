/**
 * The Content-Security-Policy every admin window gets: no remote code, no
 * eval, no inline script; connections only to the app itself and the
 * configured sync-server origin.
 */
export function contentSecurityPolicy(serverOrigin: string | null, extraConnect: readonly string[] = []): string {
  const connect = ["'self'"];
  if (serverOrigin) connect.push(new URL(serverOrigin).origin);
  // `sealtime-admin ui`: the loopback API socket (ws:// is not covered by 'self' in every browser)
  connect.push(...extraConnect);
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src ${connect.join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
