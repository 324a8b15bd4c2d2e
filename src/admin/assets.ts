/**
 * The page's stylesheet and its one small script, served from the handler
 * itself (the Content-Security-Policy allows no inline code). Every page
 * works without the script: it only adds "select all", a count of the
 * selected logs and local times on hover. Text colours keep at least 4.5:1
 * against their backgrounds (WCAG 1.4.3), focus is always visible.
 */

export const ADMIN_CSS = `
:root { color-scheme: light; --text: #1f2328; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa; --link: #0a58ca; --focus: #0a58ca; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--text); background: #fff; }
a { color: var(--link); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
code, pre, .value { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; }
pre { white-space: pre-wrap; word-break: break-word; background: var(--soft); border: 1px solid var(--line); padding: 0.75rem; border-radius: 6px; }
h1 { font-size: 1.6rem; margin: 0.5rem 0 0.75rem; display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
h3 { font-size: 1rem; margin: 1rem 0 0.4rem; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; color: var(--link); padding: 0.5rem 1rem; z-index: 10; }
.skip:focus { left: 0.5rem; top: 0.5rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
header.site { display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: center; background: #24292f; color: #fff; padding: 0.6rem 1.25rem; }
header.site .brand { margin: 0; font-weight: 600; }
header.site .schema { font-weight: 400; color: #d0d7de; margin-left: 0.5rem; }
header.site nav a { color: #fff; margin-right: 1rem; text-decoration: none; padding: 0.2rem 0; }
header.site nav a[aria-current="page"] { border-bottom: 3px solid #fff; }
header.site :focus-visible { outline-color: #fff; }
main { padding: 0.75rem 1.25rem 3rem; max-width: 1400px; }
main:focus { outline: none; }
.summary { margin: 0 0 0.75rem; }
.filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 0.25rem 1.5rem; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 0.25rem 1rem 0.75rem; margin-bottom: 1rem; }
.filters > h2 { grid-column: 1 / -1; margin: 0.5rem 0 0; font-size: 1rem; }
.filter-form { grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: 0.5rem 1.25rem; align-items: flex-end; }
.field { margin: 0.25rem 0; display: flex; flex-direction: column; gap: 0.2rem; }
.field label { font-weight: 600; font-size: 0.9rem; }
input[type="search"] { width: 26rem; max-width: 100%; }
input, select, button { font: inherit; color: var(--text); }
input[type="search"], input[type="date"], select { padding: 0.35rem 0.5rem; border: 1px solid #6e7781; border-radius: 6px; background: #fff; }
fieldset.dates { border: 0; padding: 0; margin: 0; display: flex; gap: 0.75rem; align-items: flex-end; }
fieldset.dates legend { font-weight: 600; font-size: 0.9rem; padding: 0; }
fieldset.dates .field { flex-direction: row; align-items: center; gap: 0.4rem; }
fieldset.dates .field label { font-weight: 400; }
.buttons { margin: 0.25rem 0; display: flex; gap: 1rem; align-items: center; }
button { padding: 0.35rem 0.9rem; border: 1px solid #6e7781; border-radius: 6px; background: var(--soft); cursor: pointer; }
button:hover { background: #eaeef2; }
button.primary { background: #0a58ca; border-color: #0a58ca; color: #fff; font-weight: 600; }
button.primary:hover { background: #0847a6; }
.facet h3, .facet .facet-title { font-size: 0.9rem; margin: 0.6rem 0 0.25rem; }
.facet ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 0.6rem; }
.facet a { text-decoration: none; padding: 0.05rem 0.3rem; border-radius: 4px; }
.facet a:hover { text-decoration: underline; }
.facet a.current { background: #0a58ca; color: #fff; font-weight: 600; }
.choices { display: flex; gap: 2rem; flex-wrap: wrap; }
.toolbar { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin: 0.6rem 0; }
.toolbar-label { font-weight: 600; }
.selection-count, .muted, .note { color: var(--muted); }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 0.4rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: 0.35rem 0.6rem; text-align: left; vertical-align: top; }
thead th { background: var(--soft); border-bottom: 2px solid #8c959f; white-space: nowrap; }
tbody tr:nth-child(even) { background: #fbfcfd; }
tr.current { background: #fff8c5 !important; }
td.select, th.select { width: 2rem; }
input[type="checkbox"] { width: 1.1rem; height: 1.1rem; margin: 0.1rem; }
.number { text-align: right; }
time { white-space: nowrap; }
.message { max-width: 32rem; }
.empty { color: var(--muted); text-align: center; padding: 1.5rem; }
.none, .zero { color: var(--muted); }
.null { color: #6639ba; font-family: ui-monospace, monospace; font-size: 0.85em; }
.state { display: inline-block; padding: 0 0.45rem; border-radius: 1rem; font-size: 0.82rem; font-weight: 600; border: 1px solid transparent; white-space: nowrap; }
.state-failed { background: #ffebe9; color: #a40e26; border-color: #ff8182; }
.state-success { background: #dafbe1; color: #116329; border-color: #4ac26b; }
.state-waiting { background: #ddf4ff; color: #0a3069; border-color: #54aeff; }
.state-other { background: #eaeef2; color: #424a53; border-color: #afb8c1; }
h1 .state { font-size: 0.9rem; }
.pager { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 1rem; margin: 0.75rem 0; }
.pager ul { list-style: none; display: flex; gap: 0.5rem; margin: 0; padding: 0; }
.pager a, .pager .disabled { display: inline-block; padding: 0.3rem 0.8rem; border: 1px solid var(--line); border-radius: 6px; text-decoration: none; }
.pager .disabled { color: var(--muted); background: var(--soft); }
.page-size { display: flex; gap: 0.5rem; align-items: center; }
.notice:empty { display: none; }
.notice.done { background: #dafbe1; border: 1px solid #4ac26b; color: #0f4b22; border-radius: 6px; padding: 0.1rem 1rem; margin: 0.5rem 0 1rem; }
.warning { background: #fff8c5; border: 1px solid #d4a72c; color: #4d2d00; border-radius: 6px; padding: 0.5rem 1rem; }
.algorithm { color: var(--muted); }
.algorithm.warning { color: #4d2d00; }
.hint { color: var(--muted); font-size: 0.92rem; }
.count { font-size: 1.1rem; }
form.confirm { display: flex; gap: 1.25rem; align-items: center; margin: 1.25rem 0; }
.breadcrumb { margin: 0.5rem 0 0; color: var(--muted); }
dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 0.25rem 1.5rem; margin: 0.5rem 0 1rem; }
dl.facts div { border-bottom: 1px solid var(--line); padding: 0.3rem 0; }
dl.facts dt { font-size: 0.85rem; color: var(--muted); }
dl.facts dd { margin: 0; }
table.fields tr.logged th { border-left: 4px solid #0a58ca; }
.differs { display: inline-block; margin-left: 0.4rem; font-size: 0.8rem; color: #8a4600; font-weight: 600; }
figure { margin: 0.5rem 0; }
svg.chart { width: 100%; max-width: 760px; height: auto; display: block; background: #fff; }
svg.chart .axis { font-size: 11px; fill: #57606a; }
svg.chart .grid { stroke: #eaeef2; }
svg.chart .baseline { stroke: #6e7781; }
svg.chart .empty { font-size: 14px; fill: #57606a; }
figcaption { color: var(--muted); font-size: 0.92rem; }
.legend { list-style: none; padding: 0; margin: 0.4rem 0; display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; color: var(--text); }
.legend svg { vertical-align: -2px; }
details.chart-data summary { cursor: pointer; color: var(--link); margin: 0.5rem 0; }
`;

/** The tab's icon: a small log with one failed line. */
export const ADMIN_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#24292f"/><path d="M4 5h8M4 8h8" stroke="#fff" stroke-width="1.5"/><path d="M4 11h8" stroke="#ff8182" stroke-width="1.5"/></svg>`;

export const ADMIN_JS = `'use strict';
// Progressive enhancement only: the page works without this file.
for (const form of document.querySelectorAll('form[data-selection]')) {
  const boxes = Array.from(form.querySelectorAll('input[type="checkbox"][name="log"]'));
  const all = form.querySelector('#select-all');
  const status = form.querySelector('[data-selection-count]');
  let last = null;
  const update = () => {
    const chosen = boxes.filter((box) => box.checked).length;
    if (status) status.textContent = chosen === 0 ? '' : chosen === 1 ? '1 log selected' : chosen + ' logs selected';
    if (all) {
      all.checked = chosen > 0 && chosen === boxes.length;
      all.indeterminate = chosen > 0 && chosen < boxes.length;
    }
  };
  if (all && boxes.length > 0) {
    all.hidden = false;
    all.addEventListener('change', () => {
      for (const box of boxes) box.checked = all.checked;
      update();
    });
  }
  for (const box of boxes) {
    box.addEventListener('click', (event) => {
      // Shift-click ticks or clears every box between this one and the last one clicked.
      if (event.shiftKey && last !== null && last !== box) {
        const [from, to] = [boxes.indexOf(last), boxes.indexOf(box)].sort((a, b) => a - b);
        for (const other of boxes.slice(from, to + 1)) other.checked = box.checked;
      }
      last = box;
      update();
    });
  }
  form.addEventListener('change', update);
  update();
}
for (const time of document.querySelectorAll('time[datetime]')) {
  time.title = new Date(time.dateTime).toLocaleString() + ' (your time)';
}
`;
