/**
 * The admin page's defences, with Web Crypto only (edge-safe):
 * - CSRF: a signed double-submit token. The browser holds a random value in
 *   an HttpOnly, SameSite=Strict cookie; every form carries that value with
 *   its HMAC. An action runs only when the form's value equals the cookie's
 *   and the HMAC is the handler's.
 * - Origin: an action's `Origin` (else `Sec-Fetch-Site`, else `Referer`)
 *   must be the page's own origin or one the app allows.
 * - Headers: a strict Content-Security-Policy (scripts and styles only from
 *   the page's own files), no framing, no caching, no sniffing.
 */

const COOKIE = 'hc_admin_csrf';
const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Signs and checks CSRF tokens with one HMAC key. */
export interface CsrfSigner {
  sign(value: string): Promise<string>;
}

/** A signer for `secret`, or for a random key that lives as long as the handler. */
export function csrfSigner(secret: string | undefined): CsrfSigner {
  const key = crypto.subtle.importKey(
    'raw',
    secret === undefined ? crypto.getRandomValues(new Uint8Array(32)) : encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return {
    async sign(value) {
      return base64url(new Uint8Array(await crypto.subtle.sign('HMAC', await key, encoder.encode(value))));
    },
  };
}

/** The request's cookies, by name. */
function cookiesOf(request: Request): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) cookies.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return cookies;
}

const NONCE = /^[A-Za-z0-9_-]{22}$/;

/** The token a page's forms carry, and the cookie to set when the browser has none yet. */
export async function csrfTokenFor(
  request: Request,
  signer: CsrfSigner,
  cookiePath: string,
): Promise<{ token: string; setCookie: string | undefined }> {
  let nonce = cookiesOf(request).get(COOKIE);
  let setCookie: string | undefined;
  if (nonce === undefined || !NONCE.test(nonce)) {
    nonce = base64url(crypto.getRandomValues(new Uint8Array(16)));
    const secure = new URL(request.url).protocol === 'https:' ? '; Secure' : '';
    setCookie = `${COOKIE}=${nonce}; Path=${cookiePath}; HttpOnly; SameSite=Strict${secure}`;
  }
  return { token: `${nonce}.${await signer.sign(nonce)}`, setCookie };
}

/** Compare without returning early, so timing tells nothing about the token. */
function equalText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let at = 0; at < a.length; at++) difference |= a.charCodeAt(at) ^ b.charCodeAt(at);
  return difference === 0;
}

/** Whether the form's token matches the cookie and carries our signature. */
export async function csrfTokenValid(request: Request, signer: CsrfSigner, token: string | undefined): Promise<boolean> {
  const nonce = cookiesOf(request).get(COOKIE);
  if (token === undefined || nonce === undefined || !NONCE.test(nonce)) return false;
  const dot = token.indexOf('.');
  if (dot < 0 || !equalText(token.slice(0, dot), nonce)) return false;
  return equalText(token.slice(dot + 1), await signer.sign(nonce));
}

/** Whether a state-changing request comes from the page itself (or an origin the app allows). */
export function originAllowed(request: Request, allowed: readonly string[]): boolean {
  const own = new URL(request.url).origin;
  const accepts = (origin: string) => origin === own || allowed.includes(origin);
  const origin = request.headers.get('origin') || null;
  if (origin !== null) return origin !== 'null' && accepts(origin);
  const site = request.headers.get('sec-fetch-site');
  if (site !== null) return site === 'same-origin';
  const referer = request.headers.get('referer');
  if (!referer) return false;
  try {
    return accepts(new URL(referer).origin);
  } catch {
    return false;
  }
}

/** Headers every response of the admin page carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};
