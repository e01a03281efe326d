// Starts oauth2-mock-server on 127.0.0.1 (a free port) with Cognito's endpoint paths and prints
// its issuer URL on the first line of stdout. Used by tests/login.rs.
const { OAuth2Server } = require('oauth2-mock-server');

(async () => {
  const server = new OAuth2Server(undefined, undefined, {
    endpoints: { authorize: '/oauth2/authorize', token: '/oauth2/token', jwks: '/jwks' },
  });
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  console.log(server.issuer.url);
})();
