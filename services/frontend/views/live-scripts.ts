// Small inline scripts; the server renders every fragment, the browser only swaps them in.

/** Status page: one SSE stream (/status/events) carries the banner and the incident list. */
export const statusPageScript = `
(() => {
  const source = new EventSource('/status/events');
  const state = document.getElementById('live-state');
  source.addEventListener('incidents', (event) => {
    const update = JSON.parse(event.data);
    document.getElementById('incident-banner-slot').innerHTML = update.banner;
    document.getElementById('incident-list').innerHTML = update.list;
    state.textContent = 'Live: updates appear as Grafana reports them.';
  });
  source.onerror = () => { state.textContent = 'Reconnecting to live updates…'; };
})();
`;

// Shop pages poll instead of holding a stream open: browsers allow only six HTTP/1.1 connections per
// host, and a few shop tabs with streams would starve the next page load. Every element that names
// a fragment (data-refresh-url) is swapped for a fresh server-rendered copy every data-refresh-seconds:
// the incident banner, and the sign-in activity table while an attack is watched.
export const bannerPollSeconds = 10;

export const shopPageScript = `
(() => {
  for (const slot of document.querySelectorAll('[data-refresh-url]')) {
    setInterval(async () => {
      try {
        const response = await fetch(slot.dataset.refreshUrl, { headers: { accept: 'text/html' } });
        if (response.ok) slot.innerHTML = await response.text();
      } catch {}
    }, Number(slot.dataset.refreshSeconds) * 1000);
  }
})();
`;
