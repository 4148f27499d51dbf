// One small stylesheet, inlined in every page: no build step, no extra request.
export const styles = `
:root { --ink: #1d2430; --muted: #5b6575; --line: #e3e7ee; --brand: #2b59c3; --bg: #f7f8fb;
  --critical: #7f1010; --warning: #f2c200; --resolved: #1c7c3a; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
header.top { background: #fff; border-bottom: 1px solid var(--line); }
header.top nav { max-width: 960px; margin: 0 auto; padding: 0.8rem 1rem; display: flex; gap: 1.5rem; align-items: center; }
header.top .brand { font-weight: 700; font-size: 1.2rem; color: var(--brand); text-decoration: none; margin-right: auto; }
header.top a { color: var(--ink); text-decoration: none; }
main { max-width: 960px; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { margin: 0 0 1rem; font-size: 1.6rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 1rem; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 1rem 1.1rem; }
.card h2 { font-size: 1.05rem; margin: 0 0 0.3rem; }
.card h2 a { color: var(--ink); }
.muted { color: var(--muted); }
.price { font-weight: 700; font-size: 1.1rem; }
.stock-low { color: #a35a00; font-weight: 600; }
.stock-out { color: var(--critical); font-weight: 600; }
form.checkout, form.stacked { display: grid; gap: 0.7rem; max-width: 380px; margin: 1rem 0; }
form.checkout label, form.stacked label { display: grid; gap: 0.2rem; font-weight: 600; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.35rem 0.6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td.account { overflow-wrap: anywhere; }
.notice { padding: 0.7rem 1rem; border-radius: 8px; font-weight: 600; background: #fff; border: 1px solid var(--line); border-left: 6px solid var(--critical); }
.notice-throttled { border-left-color: var(--warning); }
.activity-total.over strong { color: var(--critical); }
input { font: inherit; padding: 0.45rem 0.6rem; border: 1px solid #c8cfda; border-radius: 6px; }
button { font: inherit; font-weight: 600; padding: 0.55rem 1rem; border: 0; border-radius: 6px; background: var(--brand); color: #fff; cursor: pointer; }
.banner { padding: 0.7rem 1rem; text-align: center; font-weight: 600; }
.banner a { color: inherit; }
.sev-critical { background: var(--critical); color: #fff; }
.sev-warning { background: var(--warning); color: #2a2200; }
.sev-info { background: #dbe6ff; color: var(--ink); }
.sev-resolved { background: var(--resolved); color: #fff; }
.incidents { display: grid; gap: 0.8rem; }
.incident { border-radius: 10px; padding: 0.9rem 1.1rem; }
.incident h2 { margin: 0 0 0.2rem; font-size: 1.1rem; }
.incident-links { margin: 0.5rem 0 0; }
.incident dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 0.8rem; margin: 0.4rem 0 0; }
.incident dt { opacity: 0.8; }
.incident dd { margin: 0; }
.incident .notices { list-style: none; margin: 0; padding: 0; }
.incident .notice-title { opacity: 0.8; }
.all-clear { background: #fff; border: 1px solid var(--line); border-left: 6px solid var(--resolved); border-radius: 10px; padding: 1rem; }
.error-box { background: #fff; border: 1px solid var(--line); border-left: 6px solid var(--critical); border-radius: 10px; padding: 1rem 1.2rem; }
footer { text-align: center; color: var(--muted); font-size: 0.85rem; padding: 1rem; }
`;
