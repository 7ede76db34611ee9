// A local OpenID provider standing in for VNeID, the national electronic
// identity, in development (`cargo xtask run`) and tests (`cargo xtask test`).
// It is the certified `oidc-provider` package run with its own login pages;
// the portal reaches it only through discovery, as it would the real one.
//
// Environment: VNEID_PORT, VNEID_CLIENT_ID, VNEID_CLIENT_SECRET,
// VNEID_REDIRECT_URIS (comma-separated). Prints "ready <issuer>" when it listens.
//
// Test identities: log in with the ID number below and any password.
// `MucDoDinhDanh` is the identity's assurance level (2: proven in person).
import Provider from 'oidc-provider';

export const PEOPLE = {
  '001090000001': { HoVaTen: 'Nguyễn Văn An', NgayThangNamSinh: '19900115', MucDoDinhDanh: 2 },
  '020085000777': { HoVaTen: 'Trần Thị Bình', NgayThangNamSinh: '19850320', MucDoDinhDanh: 2 },
  '001095000003': { HoVaTen: 'Lê Văn Cường', NgayThangNamSinh: '19950704', MucDoDinhDanh: 1 },
  '020090418366': { HoVaTen: 'Hoàng Thị Dung', NgayThangNamSinh: '19901208', MucDoDinhDanh: 2 },
};

const port = Number(process.env.VNEID_PORT || 9090);
const issuer = `http://127.0.0.1:${port}`;
const redirects = (process.env.VNEID_REDIRECT_URIS || 'http://127.0.0.1:8080/api/v1/vneid/callback')
  .split(',')
  .map((u) => u.trim())
  .filter(Boolean);

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.VNEID_CLIENT_ID || 'motcua-dev',
      client_secret: process.env.VNEID_CLIENT_SECRET || 'motcua-dev-secret',
      redirect_uris: redirects,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  pkce: { required: () => true },
  scopes: ['openid', 'vneid'],
  claims: {
    openid: ['sub'],
    vneid: ['SoDinhDanh', 'HoVaTen', 'NgayThangNamSinh', 'MucDoDinhDanh'],
  },
  // The national provider puts the identity in the ID token itself.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['motcua-local-vneid-only'] },
  async findAccount(ctx, id) {
    const person = PEOPLE[id];
    if (!person) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, SoDinhDanh: id, ...person };
      },
    };
  },
  async loadExistingGrant(ctx) {
    // A one-stop shop's own client: consent is implied, as with VNeID.
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid vneid');
    await grant.save();
    return grant;
  },
});
provider.proxy = false;

provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
