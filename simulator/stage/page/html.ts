import { stageScript } from './script.ts';
import { stageStyles } from './styles.ts';

/**
 * The one page: a fixed frame the script fills from the event stream. No external font, script or
 * image; the inline style and script are allowed by their hashes.
 */
export function stagePage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ShopFast — stage console</title>
<style>${stageStyles}</style>
</head>
<body>
<header class="top">
  <h1>ShopFast alerts</h1>
  <p id="source" class="source">Connecting to the stage…</p>
  <p id="link" class="link" role="status">connecting</p>
</header>
<section class="strip" aria-label="What runs and the traffic">
  <p id="activity" class="activity" data-kind="">Idle</p>
  <p id="run-end" class="run-end"></p>
  <dl id="traffic" class="traffic">
    <div><dt>journeys/s</dt><dd id="rate">–</dd></div>
    <div><dt>errors</dt><dd id="errors">–</dd></div>
    <div><dt>p95</dt><dd id="p95">–</dd></div>
  </dl>
  <p id="faults" class="faults" data-count="0">No faults in force</p>
  <p id="booth" class="booth" hidden></p>
</section>
<main id="cards" class="cards" aria-label="Alert rules"></main>
<footer class="controls" aria-label="Controls">
  <div class="row">
    <label>Scenario <select id="scenario"></select></label>
    <button id="start" type="button">Start</button>
    <label>Alert <select id="alert"></select></label>
    <button id="trigger" type="button">Trigger</button>
    <button id="silence" type="button">Silence 30 min</button>
    <button id="unsilence" type="button">Unsilence</button>
    <button id="reset" type="button">Reset</button>
    <button id="stop" type="button" class="stop">Stop</button>
    <details id="booth-setup">
      <summary>Booth mode</summary>
      <div class="booth-setup">
        <span id="booth-scenarios" class="row"></span>
        <label>seed <input id="booth-seed" type="number" min="0" max="4294967295" inputmode="numeric" placeholder="in order"></label>
        <button id="booth-start" type="button">Start booth</button>
      </div>
    </details>
  </div>
  <p id="plan" class="plan"></p>
  <p id="message" class="message" role="alert"></p>
  <p id="latest" class="latest" aria-live="polite"></p>
</footer>
<dialog id="token-dialog" aria-labelledby="token-title">
  <p id="token-title">The controls need the stack's admin token (ADMIN_TOKEN in .env). It is kept for this tab only.</p>
  <div class="row"><label>Admin token <input id="token-input" type="password" autocomplete="off" spellcheck="false"></label></div>
  <p id="token-problem" class="token-problem" role="alert"></p>
  <div class="row"><button id="token-ok" type="button">Use token</button><button id="token-cancel" type="button">Cancel</button></div>
</dialog>
<script>${stageScript}</script>
</body>
</html>
`;
}
