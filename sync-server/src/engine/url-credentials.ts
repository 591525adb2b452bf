/**
 * Engine URLs carry their credential as userinfo (`http://admin:secret@host`);
 * HTTP clients that refuse credentials in URLs (fetch) or send their own
 * headers need it apart, as a Basic authorization header.
 */

/** The Basic authorization header a URL's userinfo stands for, if any. */
export function basicAuthorization(u: URL): string | null {
  return u.username
    ? `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`
    : null;
}

/** The URL without its userinfo or trailing slash, and the header the userinfo stood for. */
export function splitCredentials(u: URL): { base: string; authorization: string | null } {
  const authorization = basicAuthorization(u);
  const bare = new URL(u);
  bare.username = '';
  bare.password = '';
  return { base: bare.toString().replace(/\/+$/, ''), authorization };
}
