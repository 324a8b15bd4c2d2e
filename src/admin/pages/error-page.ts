/** A page that says, in one sentence, why the request was not served. */
import { html, type Html } from '../html.ts';
import { layout, type PageContext } from './layout.ts';

export function errorPageHtml(context: PageContext, title: string, sentence: string): Html {
  return layout(context, {
    title,
    body: html`<h1>${title}</h1>
<p>${sentence}</p>
<p><a href="${context.base}/">Back to the trigger log</a></p>`,
  });
}
