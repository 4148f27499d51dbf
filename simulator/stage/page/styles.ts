// The stage page's one style block (allowed by its hash). Every size is in rem, and the root size
// follows the viewport, so the page is the same picture at 1280×720 and on a 4K projector.
// States differ by word, symbol and border as well as colour.

export const stageStyles = `
:root {
  color-scheme: dark;
  font-size: clamp(14px, 1.1vw + 0.25vh, 64px);
  --bg: #000; --panel: #161616; --text: #fff; --muted: #c8c8c8; --line: #5a5a5a;
  --firing: #c8102e; --pending: #ffb81c; --recovering: #1858c8; --normal: #2ea043; --unknown: #6e7681;
}
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body {
  background: var(--bg); color: var(--text);
  font-family: system-ui, "DejaVu Sans", "Segoe UI", Roboto, Arial, sans-serif; line-height: 1.25;
  display: grid; grid-template-rows: auto auto minmax(0, 1fr) auto; height: 100vh; overflow: hidden;
}
h1, h2, p, dl, dd, ol { margin: 0; }
button, select, input { font: inherit; }
.top { display: flex; align-items: baseline; gap: 1rem; padding: 0.4rem 0.8rem; border-bottom: 0.12rem solid var(--line); }
.top h1 { font-size: 1.35rem; white-space: nowrap; }
.source { font-size: 1rem; flex: 1; }
.source[data-kind="preview"] { border: 0.12rem dashed var(--pending); padding: 0.1rem 0.5rem; }
.source[data-answering="false"] { border: 0.12rem solid var(--firing); padding: 0.1rem 0.5rem; }
.link { font-size: 0.85rem; color: var(--muted); white-space: nowrap; }
.link[data-live="false"] { color: var(--text); background: var(--firing); padding: 0 0.4rem; }
.strip { display: flex; flex-wrap: wrap; gap: 0.3rem 1.4rem; align-items: baseline; padding: 0.3rem 0.8rem; background: var(--panel); font-size: 1rem; }
.activity { font-weight: 700; }
.activity[data-kind=""] { font-weight: 400; color: var(--muted); }
.traffic { display: flex; gap: 1.2rem; }
.traffic div { display: flex; gap: 0.35rem; align-items: baseline; }
.traffic dt { color: var(--muted); font-size: 0.85rem; }
.traffic dd { font-weight: 700; font-variant-numeric: tabular-nums; }
.faults { font-variant-numeric: tabular-nums; }
.faults[data-count="0"] { color: var(--muted); }
.booth { border: 0.12rem solid var(--text); padding: 0 0.5rem; font-weight: 700; }
.cards {
  display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); grid-auto-rows: minmax(8.5rem, 1fr);
  gap: 0.5rem; padding: 0.5rem 0.8rem; overflow-y: auto;
}
.card {
  display: flex; flex-direction: column; gap: 0.15rem; min-width: 0; min-height: 0; overflow: hidden;
  background: var(--panel); border: 0.15rem solid var(--line); border-left-width: 0.6rem; padding: 0.35rem 0.55rem;
}
.card header { display: flex; gap: 0.4rem; align-items: baseline; min-width: 0; }
.card h2 { font-size: 1.05rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; flex: 0 1 auto; min-width: 0; }
.instance { font-size: 0.85rem; font-weight: 700; white-space: nowrap; margin-left: auto; }
.state { display: flex; gap: 0.4rem; align-items: baseline; font-size: 1.35rem; font-weight: 800; white-space: nowrap; }
.clock { font-size: 1.1rem; font-weight: 700; font-variant-numeric: tabular-nums; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-height: 1.3em; }
.state .origin { font-size: 0.7rem; font-weight: 700; border: 0.1rem dashed currentColor; padding: 0 0.25rem; }
.spark { width: 100%; flex: 1 1 0; min-height: 1rem; display: block; }
.spark .threshold { stroke: var(--text); stroke-width: 1.5; stroke-dasharray: 6 4; vector-effect: non-scaling-stroke; }
.spark .series { fill: none; stroke: var(--text); stroke-width: 3; vector-effect: non-scaling-stroke; stroke-linejoin: round; }
.spark .dot { fill: var(--text); }
.value, .notify, .reason { font-size: 0.85rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-variant-numeric: tabular-nums; }
.notify .mark { font-weight: 800; border: 0.1rem solid currentColor; padding: 0 0.25rem; margin-right: 0.3rem; }
.card[data-state="Normal"] { border-left-color: var(--normal); }
.card[data-state="Pending"] { background: var(--pending); color: #000; border-color: #000; border-style: dashed; border-left-style: solid; }
.card[data-state="Pending"] .spark .threshold, .card[data-state="Pending"] .spark .series { stroke: #000; }
.card[data-state="Pending"] .spark .dot { fill: #000; }
.card[data-state="Firing"] { background: var(--firing); border-color: var(--text); border-width: 0.3rem; border-left-width: 0.6rem; }
.card[data-state="Recovering"] { background: var(--recovering); border-color: var(--text); border-style: double; border-width: 0.3rem; }
.card[data-state="Unknown"], .card[data-state="NoData"], .card[data-state="Error"] { border-left-color: var(--unknown); border-style: dotted; }
.card[data-expected="true"] h2::before { content: "◆ "; }
.controls { border-top: 0.12rem solid var(--line); padding: 0.35rem 0.8rem; font-size: 0.9rem; display: grid; gap: 0.25rem; }
.row { display: flex; flex-wrap: wrap; gap: 0.4rem 0.8rem; align-items: center; }
.row label { display: flex; gap: 0.3rem; align-items: center; }
button { background: #fff; color: #000; border: 0.12rem solid #fff; padding: 0.1rem 0.6rem; font-weight: 700; cursor: pointer; }
button:disabled { background: transparent; color: var(--muted); border-color: var(--line); cursor: not-allowed; }
button.stop { background: var(--firing); color: #fff; }
button.stop:disabled { background: transparent; color: var(--muted); }
button:focus-visible, select:focus-visible, input:focus-visible { outline: 0.2rem solid var(--pending); outline-offset: 0.1rem; }
select, input { background: #000; color: #fff; border: 0.12rem solid var(--line); padding: 0.05rem 0.3rem; }
details { display: inline-block; }
summary { cursor: pointer; font-weight: 700; }
.booth-setup { display: flex; flex-wrap: wrap; gap: 0.3rem 0.8rem; padding-top: 0.25rem; }
.plan, .latest { color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.message:empty { display: none; }
.message { background: var(--firing); color: #fff; font-weight: 700; padding: 0.1rem 0.5rem; }
.message[data-kind="ok"] { background: var(--normal); }
dialog { background: #000; color: #fff; border: 0.2rem solid #fff; font-size: 1rem; }
dialog::backdrop { background: rgba(0, 0, 0, 0.7); }
dialog .row { margin-top: 0.5rem; }
.token-problem { color: #fff; background: var(--firing); }
.token-problem:empty { display: none; }
`;
