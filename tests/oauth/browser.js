// A browser for tests: follows the authorize URL's redirects to jwtcheck's listener.
// MODE=favicon first asks the listener for /favicon.ico (an unrelated request) and writes its
// status to the file OUT;
// MODE=state changes the state on the way back (a forged callback) and sends nothing else;
// MODE=forged first sends two forged callbacks (another state; an error without a state), writes
// their statuses to OUT, then the real one;
// MODE=implicit redeems the code itself (no PKCE verifier needed by this server) and sends the
// id token it got straight to the callback, with the right state (tokens instead of a code);
// MODE=slow first opens six idle connections (as browsers pre-open) and one that sends a byte
// every 300 ms, then sends the real callback;
// MODE=trickle only opens a connection that sends a byte every 300 ms (for 30 s), nothing else;
// MODE=both asks for /favicon.ico on 127.0.0.1 and on [::1], writes both statuses to OUT, then
// sends the real callback to [::1].
const net = require('net');
const fs = require('fs');
const url = process.argv[2];
const mode = process.env.MODE;

// A connection to the listener that sends one byte of a request every 300 ms, for 30 s.
// With keep=false it does not keep this process alive.
function trickle(port, keep) {
  const s = net.connect(port, '127.0.0.1');
  s.on('error', () => {});
  const head = 'GET /callback?state=slow HTTP/1.1\r\nHost: localhost\r\n' + 'X: y\r\n'.repeat(50);
  let i = 0;
  const t = setInterval(() => {
    if (s.destroyed || i >= head.length) return clearInterval(t);
    s.write(head[i++]);
  }, 300);
  setTimeout(() => { clearInterval(t); s.destroy(); }, 30000).unref();
  if (!keep) {
    t.unref();
    s.unref();
  }
}

(async () => {
  try {
    const redirect = new URL(new URL(url).searchParams.get('redirect_uri'));
    const port = Number(redirect.port);
    if (mode === 'trickle') {
      trickle(port, true);
      return;
    }
    if (mode === 'slow') {
      for (let i = 0; i < 6; i++) net.connect(port, '127.0.0.1').on('error', () => {}).unref();
      trickle(port, false);
      await new Promise((r) => setTimeout(r, 200));
    }
    if (mode === 'favicon') {
      const r = await fetch(new URL('/favicon.ico', redirect));
      fs.writeFileSync(process.env.OUT, `favicon: ${r.status}`);
    }
    if (mode === 'both') {
      const v4 = await fetch(`http://127.0.0.1:${port}/favicon.ico`);
      const v6 = await fetch(`http://[::1]:${port}/favicon.ico`);
      fs.writeFileSync(process.env.OUT, `v4: ${v4.status} v6: ${v6.status}`);
    }
    const r = await fetch(url, { redirect: 'manual' });
    let back = new URL(r.headers.get('location'));
    if (mode === 'state') back.searchParams.set('state', 'forged');
    if (mode === 'forged') {
      const other = new URL(back);
      other.searchParams.set('state', 'forged');
      const errorOnly = new URL('/callback?error=access_denied', back);
      const a = await fetch(other);
      const b = await fetch(errorOnly);
      fs.writeFileSync(process.env.OUT, `forged: ${a.status} ${b.status}`);
    }
    if (mode === 'both') back.hostname = '[::1]';
    if (mode === 'implicit') {
      const token = await fetch(new URL('/oauth2/token', url), {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: back.searchParams.get('code'),
          client_id: 'app-client',
          redirect_uri: redirect.href,
        }),
      }).then((r) => r.json());
      back.searchParams.delete('code');
      back.searchParams.set('id_token', token.id_token);
    }
    await fetch(back);
  } catch (e) {
    console.error(e);
  }
})();
