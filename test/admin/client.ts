/** Talking to the admin handler as a browser would, without one: cookies kept, forms read back from the HTML. */
export type Handler = (request: Request) => Promise<Response>;

export interface Page {
  readonly status: number;
  readonly headers: Headers;
  readonly html: string;
}

export const ORIGIN = 'http://127.0.0.1:4000';

export function adminClient(handler: Handler, origin = ORIGIN) {
  let cookie = '';
  async function send(path: string, init: RequestInit = {}): Promise<Page> {
    const headers = new Headers(init.headers);
    if (cookie !== '' && !headers.has('cookie')) headers.set('cookie', cookie);
    const response = await handler(new Request(new URL(path, origin), { ...init, headers, redirect: 'manual' }));
    const set = response.headers.get('set-cookie');
    if (set !== null) cookie = set.split(';')[0]!;
    return { status: response.status, headers: response.headers, html: await response.text() };
  }
  return {
    get: (path: string, headers: HeadersInit = {}) => send(path, { headers }),
    /** POST a form as the page's own form would be (same Origin) unless `headers` says otherwise. */
    post: (path: string, fields: readonly (readonly [string, string])[], headers: Record<string, string> = {}) =>
      send(path, {
        method: 'POST',
        body: new URLSearchParams(fields.map(([k, v]) => [k, v])).toString(),
        headers: { origin, 'content-type': 'application/x-www-form-urlencoded', ...headers },
      }),
    get cookie() {
      return cookie;
    },
  };
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
export const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]!);

/** The page's text as a person reads it: tags dropped, entities decoded, spaces collapsed. */
export function textOf(html: string): string {
  const inline = /<\/?(?:a|strong|em|b|span|code|time|label|abbr)\b[^>]*>/g;
  return decode(html.replace(/<script[\s\S]*?<\/script>/g, '').replace(inline, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
}

/** The logs listed in the page's first log table, as `live-12` / `archive-3`, in order. */
export function listedLogs(html: string): string[] {
  const table = /<table class="logs">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
  return [...table.matchAll(/<th scope="row"><a href="[^"]*\/logs\/(live|archive)\/(\d+)">/g)].map((match) => `${match[1]}-${match[2]}`);
}

/** The fields a form would submit (hidden inputs), for the form posting or getting to `action`. */
export function formFields(html: string, action: string): [string, string][] {
  const form = new RegExp(`<form method="(?:get|post)" action="${action.replace(/[/.]/g, '\\$&')}"[\\s\\S]*?</form>`).exec(html)?.[0];
  if (form === undefined) throw new Error(`no form to ${action} in the page`);
  return [...form.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((match) => [decode(match[1]!), decode(match[2]!)]);
}

/** The link labelled `label` (exactly). */
export function linkTo(html: string, label: string): string {
  const match = [...html.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].find((candidate) => decode(candidate[2]!) === label);
  if (match === undefined) throw new Error(`no link labelled ${label}`);
  return decode(match[1]!);
}
