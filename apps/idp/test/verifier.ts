import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';

/**
 * aws-jwt-verify as a resource server would use it against the local IdP: JwtVerifier (CognitoJwtVerifier
 * refuses non-AWS issuers) with the served issuer and JWKS, a fetcher that allows http for loopback only
 * (its default fetcher speaks https only), and Cognito's field checks.
 */
export function localVerifier(opts: {
  issuer: string;
  jwksUri: string;
  clientIds: string[];
  tokenUse: 'access' | 'id';
}) {
  const fetcher = {
    async fetch(uri: string) {
      const u = new URL(uri);
      if (u.protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname))
        throw new Error(`refusing plain-http JWKS from ${u.hostname}`);
      const res = await fetch(uri);
      if (!res.ok) throw new Error(`JWKS fetch ${res.status}`);
      return res.arrayBuffer();
    },
  };
  return JwtVerifier.create(
    {
      issuer: opts.issuer,
      audience: null,
      jwksUri: opts.jwksUri,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== opts.tokenUse) throw new Error('wrong token_use');
        const client = opts.tokenUse === 'access' ? payload.client_id : payload.aud;
        if (typeof client !== 'string' || !opts.clientIds.includes(client))
          throw new Error('client not allowed');
        if (typeof payload.exp !== 'number') throw new Error('exp missing');
        if (typeof payload.iat !== 'number' || payload.iat > Date.now() / 1000 + 60)
          throw new Error('iat in the future');
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher }) },
  );
}
