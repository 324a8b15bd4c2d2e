/**
 * Base URLs of the APIs hc-drizzle calls (`HEROKU_CONNECT_API_ENDPOINT`,
 * `SALESFORCE_INSTANCE_URL`, `SALESFORCE_LOGIN_URL`), checked before any
 * request: an http(s) URL with no credentials, query or fragment. Credentials
 * in such a URL would be shown by the HTTP stack's own errors and sent again
 * on every retry, so they are refused up front, and never echoed: the
 * messages below describe the problem without the value. Edge-safe.
 */
import * as v from 'valibot';

/** Why `value` cannot be an API base URL, or undefined when it can. */
export function baseUrlProblem(value: string): string | undefined {
  // Checked on the text too: the URL parser would also read `user@` out of an invalid URL's message.
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(value.trim())) {
    return 'must not carry credentials (user:password@): hc-drizzle sends tokens in headers only';
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials (user:password@): hc-drizzle sends tokens in headers only';
  if (url.search !== '' || url.hash !== '') return 'must not have a query or fragment';
  return undefined;
}

/** A valibot schema of an API base URL; its messages never contain the value. */
export const BaseUrlSchema = v.pipe(
  v.string(),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const problem = baseUrlProblem(dataset.value);
    if (problem !== undefined) addIssue({ message: problem });
  }),
  v.transform((value) => value.trim().replace(/\/+$/, '')),
);
