import { exportJWK, generateKeyPair, importJWK, calculateJwkThumbprint, createLocalJWKSet, type CryptoKey, type JWK, type JWTVerifyGetKey } from 'jose';
import type { Model } from 'mongoose';
import { isDuplicateKey, TOKEN_ALG, type Clock, type SigningKey } from '@csp/kernel';
import type { SigningKeyDoc } from './signing-key.model';

/**
 * The token signing key: generated once, kept in identity's store, shared by every identity
 * replica. The first replica to insert wins the unique `_id` "current"; the others load it.
 */
export class KeyStore {
  private current?: SigningKey & { publicJwk: JWK };

  constructor(private readonly keys: Model<SigningKeyDoc>, private readonly clock: Clock) {}

  async signingKey(): Promise<SigningKey> {
    return this.current ?? (await this.load());
  }

  /** Key lookup for verifying our own tokens in-process. */
  readonly verifyKey: JWTVerifyGetKey = async (header, token) => {
    this.localSet ??= createLocalJWKSet(await this.jwks());
    return this.localSet(header, token);
  };
  private localSet?: ReturnType<typeof createLocalJWKSet>;

  async jwks(): Promise<{ keys: JWK[] }> {
    const docs = await this.keys.find({}, { publicJwk: 1 }).lean();
    if (!docs.length) await this.load();
    const all = docs.length ? docs : await this.keys.find({}, { publicJwk: 1 }).lean();
    return { keys: all.map((d) => d.publicJwk as JWK) };
  }

  private async load(): Promise<SigningKey & { publicJwk: JWK }> {
    let doc = await this.keys.findOne({}).sort({ createdAt: -1 }).lean();
    if (!doc) {
      const { publicKey, privateKey } = await generateKeyPair(TOKEN_ALG, { extractable: true });
      const publicJwk = await exportJWK(publicKey);
      const kid = await calculateJwkThumbprint(publicJwk);
      const candidate = {
        _id: 'current',
        publicJwk: { ...publicJwk, kid, alg: TOKEN_ALG, use: 'sig' },
        privateJwk: { ...(await exportJWK(privateKey)), kid, alg: TOKEN_ALG },
        createdAt: this.clock.now(),
      };
      await this.keys.create(candidate).catch((err) => {
        if (!isDuplicateKey(err)) throw err;
      });
      doc = await this.keys.findOne({ _id: 'current' }).lean();
    }
    const privateKey = (await importJWK(doc!.privateJwk as JWK, TOKEN_ALG)) as CryptoKey;
    this.current = { kid: String(doc!.publicJwk.kid), privateKey, publicJwk: doc!.publicJwk as JWK };
    return this.current;
  }
}
