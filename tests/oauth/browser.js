// A browser for tests: follows the authorize URL's redirects to jwtcheck's listener.
// MODE=favicon first asks the listener for /favicon.ico (an unrelated request) and writes its
// status to the file OUT;
// MODE=state changes the state on the way back (a forged callback);
// MODE=implicit redeems the code itself (no PKCE verifier needed by this server) and sends the
// id token it got straight to the callback, with the right state (tokens instead of a code).
const url = process.argv[2];
(async () => {
  try {
    const redirect = new URL(new URL(url).searchParams.get('redirect_uri'));
    if (process.env.MODE === 'favicon') {
      const r = await fetch(new URL('/favicon.ico', redirect));
      require('fs').writeFileSync(process.env.OUT, `favicon: ${r.status}`);
    }
    const r = await fetch(url, { redirect: 'manual' });
    let back = new URL(r.headers.get('location'));
    if (process.env.MODE === 'state') back.searchParams.set('state', 'forged');
    if (process.env.MODE === 'implicit') {
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
