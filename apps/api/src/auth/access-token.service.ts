import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey, type KeyObject } from 'node:crypto';
import type { AppConfig } from '../common/config/app-config';
import { InjectConfig } from '../common/config/config.module';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const JWT_ISSUER = 'leadforge';
export const JWT_AUDIENCE = 'leadforge-api';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AccessClaims {
  /** User id. */
  sub: string;
  /** Session id: the token dies with its session (logout, password change, reuse detection). */
  sid: string;
  /** Organization the token acts for. */
  org: string;
}

/** Short-lived access JWTs: HS256 only (pinned on verification), issuer and audience checked. */
@Injectable()
export class AccessTokenService {
  /**
   * The secret as a key object, made once: given a string, jsonwebtoken first tries to parse it as
   * a public key on every verification (and throws and catches) before it takes it as a secret.
   */
  private readonly key: KeyObject;

  constructor(
    private readonly jwt: JwtService,
    @InjectConfig() config: AppConfig,
  ) {
    this.key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  sign(claims: AccessClaims): Promise<string> {
    return this.jwt.signAsync(
      { sid: claims.sid, org: claims.org },
      { subject: claims.sub, algorithm: 'HS256', expiresIn: ACCESS_TOKEN_TTL_SECONDS, issuer: JWT_ISSUER, audience: JWT_AUDIENCE, secret: this.key as unknown as Buffer },
    );
  }

  /** Returns the claims, or undefined for any token that is not one of ours and current. */
  async verify(token: string): Promise<AccessClaims | undefined> {
    try {
      const payload = await this.jwt.verifyAsync<Record<string, unknown>>(token, {
        algorithms: ['HS256'],
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        secret: this.key as unknown as Buffer, // jsonwebtoken takes a KeyObject (jwt.Secret); the Nest wrapper types only string | Buffer
      });
      const { sub, sid, org } = payload;
      if (typeof sub !== 'string' || typeof sid !== 'string' || typeof org !== 'string') return undefined;
      if (!UUID.test(sub) || !UUID.test(sid) || !UUID.test(org)) return undefined;
      return { sub, sid, org };
    } catch {
      return undefined;
    }
  }
}
