import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
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
  constructor(
    private readonly jwt: JwtService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  sign(claims: AccessClaims): Promise<string> {
    return this.jwt.signAsync(
      { sid: claims.sid, org: claims.org },
      { subject: claims.sub, algorithm: 'HS256', expiresIn: ACCESS_TOKEN_TTL_SECONDS, issuer: JWT_ISSUER, audience: JWT_AUDIENCE, secret: this.config.jwtSecret },
    );
  }

  /** Returns the claims, or undefined for any token that is not one of ours and current. */
  async verify(token: string): Promise<AccessClaims | undefined> {
    try {
      const payload = await this.jwt.verifyAsync<Record<string, unknown>>(token, {
        algorithms: ['HS256'],
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        secret: this.config.jwtSecret,
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
