/** The frame of every admin page: head, header with the navigation, main. */
import { html, type Html } from '../html.ts';

/** What every page knows about the request it answers. */
export interface PageContext {
  /** Where the page is mounted: '' or a path such as `/admin`. */
  readonly base: string;
  /** The Heroku Connect schema whose trigger log is shown. */
  readonly schema: string;
  /** The CSRF token the page's forms carry. */
  readonly csrfToken: string;
  readonly now: Date;
}

export type Section = 'logs' | 'overview';

export function layout(context: PageContext, page: { readonly title: string; readonly section?: Section; readonly body: Html }): Html {
  const link = (section: Section, href: string, label: string) =>
    html`<a href="${href}"${page.section === section ? html` aria-current="page"` : ''}>${label}</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · Heroku Connect trigger log</title>
<link rel="icon" href="${context.base}/assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${context.base}/assets/admin.css">
<script src="${context.base}/assets/admin.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
<p class="brand">Heroku Connect trigger log <span class="schema">schema ${context.schema}</span></p>
<nav aria-label="Admin">${link('logs', `${context.base}/`, 'Logs')} ${link('overview', `${context.base}/overview`, 'Overview')}</nav>
</header>
<main id="main" tabindex="-1">
${page.body}
</main>
</body>
</html>
`;
}
