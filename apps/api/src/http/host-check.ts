/**
 * DNS-rebinding protection: a server without a token answers only requests whose Host header names it by a
 * loopback name (`localhost`, `127.0.0.1`, `[::1]`, any port) or a host in `GRADESHIFT_ALLOWED_HOSTS`. A page on
 * a rebound name (`evil.example` resolving to 127.0.0.1) sends its own name as Host and is refused.
 */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** The host name of a Host header, lower-cased, without the port. */
export function hostName(header: string): string {
  const host = header.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

/**
 * Whether a request's Host header is allowed.
 * @param header - the Host header (undefined: an HTTP/1.0 request without one, allowed)
 * @param allowed - extra host names allowed (`*` for any)
 */
export function hostAllowed(header: string | undefined, allowed: readonly string[]): boolean {
  if (header === undefined) return true;
  const name = hostName(header);
  return LOOPBACK.has(name) || allowed.includes('*') || allowed.includes(name);
}
