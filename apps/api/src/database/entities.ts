import { ApiKey } from '../api-keys/api-key.entity';
import { AuditLog } from '../audit/audit-log.entity';
import { AuthToken } from '../auth/auth-token.entity';
import { RefreshToken } from '../auth/refresh-token.entity';
import { AuthSession } from '../auth/session.entity';
import { RateLimitCounter } from '../common/throttling/rate-limit-counter.entity';
import { Invitation } from '../orgs/invitation.entity';
import { Membership } from '../orgs/membership.entity';
import { Organization } from '../orgs/organization.entity';
import { User } from '../users/user.entity';

/**
 * Every TypeORM entity of the application. Listed explicitly (no globs) so that the same list
 * serves the compiled app, the tests and the entity/migration drift check.
 */
export const ENTITIES = [RateLimitCounter, Organization, User, Membership, Invitation, AuthSession, RefreshToken, AuthToken, ApiKey, AuditLog];
