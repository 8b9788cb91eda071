import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { Authenticator } from '../common/auth/authenticator';
import { CsrfGuard } from '../common/auth/csrf';
import { ThrottlingModule } from '../common/throttling/throttling.module';
import { OrgsModule } from '../orgs/orgs.module';
import { AccessTokenService } from './access-token.service';
import { AuthController } from './auth.controller';
import { AuthMaintenance } from './auth-maintenance';
import { AuthService } from './auth.service';
import { LoginLimiter } from './login-limiter';
import { PasswordService } from './password.service';
import { RequestAuthenticator } from './request-authenticator';
import { SessionsRepository } from './sessions.repository';

/** Accounts and sessions; provides the Authenticator every @Auth endpoint relies on. */
@Global()
@Module({
  imports: [JwtModule.register({}), ThrottlingModule, OrgsModule, ApiKeysModule],
  controllers: [AuthController],
  providers: [
    AccessTokenService,
    AuthService,
    AuthMaintenance,
    CsrfGuard,
    LoginLimiter,
    PasswordService,
    SessionsRepository,
    RequestAuthenticator,
    { provide: Authenticator, useExisting: RequestAuthenticator },
  ],
  exports: [Authenticator, PasswordService, SessionsRepository],
})
export class AuthModule {}
