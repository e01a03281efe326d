// Starts oauth2-mock-server on 127.0.0.1 (a free port) with Cognito's endpoint paths and prints
// its issuer URL on the first line of stdout. Used by tests/login.rs.
// Tokens are shaped like Cognito's: the id token has token_use "id" and the app client as aud
// (and the sign-in's nonce); the access token has token_use "access", client_id, and no aud and
// no nonce. ISS, when set, is the issuer the tokens name.
// The refresh-token grant behaves as Cognito's: REFRESH_TOKENS (comma-separated) are valid at
// the start, and so is every refresh token a sign-in returns; an unknown one is invalid_grant;
// "disabled-user" is the token of a disabled user. With ROTATE=1 each refresh returns a new
// refresh token and the old one stops working (no grace period); without, none comes back.
const { OAuth2Server } = require('oauth2-mock-server');

(async () => {
  const server = new OAuth2Server(undefined, undefined, {
    endpoints: { authorize: '/oauth2/authorize', token: '/oauth2/token', jwks: '/jwks' },
  });
  await server.issuer.keys.generate('RS256');
  server.service.on('beforeTokenSigning', (token, req) => {
    const p = token.payload;
    if (process.env.ISS) p.iss = process.env.ISS;
    if (p.aud !== undefined) {
      p.token_use = 'id';
      p['cognito:username'] = p.sub;
    } else {
      p.token_use = 'access';
      p.client_id = (req.body && req.body.client_id) || 'app-client';
      p.username = p.sub;
      delete p.nonce;
    }
  });
  const valid = new Set((process.env.REFRESH_TOKENS || '').split(',').filter((t) => t));
  server.service.on('beforeResponse', (response, req) => {
    const body = req.body || {};
    if (body.grant_type === 'refresh_token') {
      const sent = body.refresh_token;
      if (sent === 'disabled-user') {
        response.statusCode = 400;
        response.body = { error: 'invalid_grant', error_description: 'User is disabled.' };
        return;
      }
      if (!valid.has(sent)) {
        response.statusCode = 400;
        response.body = { error: 'invalid_grant', error_description: 'Invalid Refresh Token' };
        return;
      }
      if (process.env.ROTATE === '1') {
        valid.delete(sent);
      } else {
        delete response.body.refresh_token;
      }
    }
    if (response.body && response.body.refresh_token) valid.add(response.body.refresh_token);
  });
  await server.start(0, '127.0.0.1');
  console.log(server.issuer.url);
})();
