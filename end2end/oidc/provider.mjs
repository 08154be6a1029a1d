// A real OpenID provider for the browser tests: panva's `oidc-provider` with its development
// login and consent pages. Any login name is accepted and becomes the person's email address;
// names starting with `unverified.` get `email_verified: false`. The subject is derived from
// the login name, so the same name is the same person at every sign-in.
import { createHash } from 'node:crypto';
import Provider from 'oidc-provider';

const PORT = Number(process.env.OIDC_PORT ?? 3112);
const ISSUER = `http://127.0.0.1:${PORT}`;
const APP = process.env.APP_URL ?? 'http://localhost:3111';

const provider = new Provider(ISSUER, {
  clients: [
    {
      client_id: 'gatehouse-e2e',
      client_secret: 'e2e-client-secret-not-for-production',
      redirect_uris: [`${APP}/auth/sso/testid/callback`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  cookies: { keys: ['e2e-only-cookie-signing-key'] },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return {
          sub: `sub-${createHash('sha256').update(id).digest('hex').slice(0, 24)}`,
          email: id.replace(/^unverified\./, ''),
          email_verified: !id.startsWith('unverified.'),
        };
      },
    };
  },
});
provider.proxy = false;
provider.listen(PORT, '127.0.0.1', () => console.log(`oidc-provider listening at ${ISSUER}`));
