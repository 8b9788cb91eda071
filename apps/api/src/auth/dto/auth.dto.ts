import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EmailField, NameField, PasswordField, TokenField } from '../../common/validation/fields';
import { ORG_ROLES, type OrgRole } from '../../orgs/membership.entity';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../password.service';

const NEW_PASSWORD = `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters; common or easily guessed passwords are refused.`;

export class RegisterRequest {
  @EmailField()
  email!: string;

  @PasswordField({ description: NEW_PASSWORD, min: PASSWORD_MIN_LENGTH })
  password!: string;

  @NameField({ description: 'Full name.', example: 'Ada Lovelace' })
  name!: string;

  @NameField({ description: 'Name of the organization created with the account (default: "<name>\'s organization").', example: 'Analytical Engines Ltd', optional: true })
  orgName?: string;
}

export class LoginRequest {
  @EmailField()
  email!: string;

  @PasswordField({ description: 'The account password.' })
  password!: string;
}

export class EmailRequest {
  @EmailField()
  email!: string;
}

export class ResetPasswordRequest {
  @TokenField('The token from the reset link (valid for one hour, once).')
  token!: string;

  @PasswordField({ description: NEW_PASSWORD, min: PASSWORD_MIN_LENGTH })
  password!: string;
}

export class VerifyEmailRequest {
  @TokenField('The token from the verification link.')
  token!: string;
}

export class ChangePasswordRequest {
  @PasswordField({ description: 'The current password.' })
  currentPassword!: string;

  @PasswordField({ description: NEW_PASSWORD, min: PASSWORD_MIN_LENGTH })
  newPassword!: string;
}

export class UpdateMeRequest {
  @NameField({ description: 'Full name.', example: 'Ada King', optional: true })
  name?: string;
}

export class DeleteAccountRequest {
  @PasswordField({ description: 'The account password, to confirm the deletion.' })
  password!: string;
}

export class OrganizationSummaryResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Analytical Engines Ltd' })
  name!: string;

  @ApiProperty({ enum: ORG_ROLES, enumName: 'OrgRole', description: "The caller's role in the organization." })
  role!: OrgRole;
}

export class MeResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'email' })
  email!: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  name!: string;

  @ApiProperty()
  emailVerified!: boolean;

  @ApiProperty()
  isPlatformAdmin!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: OrganizationSummaryResponse, description: 'The organization the session acts for.' })
  organization!: OrganizationSummaryResponse;
}

export class RegisterResponse {
  @ApiProperty({ type: MeResponse })
  user!: MeResponse;

  @ApiProperty({ type: OrganizationSummaryResponse })
  organization!: OrganizationSummaryResponse;
}

export class TokenResponse {
  @ApiProperty({ description: 'Access JWT (HS256, 15 minutes). Send as `Authorization: Bearer <token>`.' })
  accessToken!: string;

  @ApiProperty({ example: 900, description: 'Seconds until the access token expires.' })
  expiresIn!: number;

  @ApiProperty({ example: 'Bearer' })
  tokenType!: 'Bearer';

  @ApiProperty({ type: MeResponse })
  user!: MeResponse;
}

export class AcceptedResponse {
  @ApiProperty({ example: 'If an account exists for this address, we have sent an email.' })
  message!: string;
}

export class SessionResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Firefox on Linux' })
  device!: string;

  @ApiProperty({ type: String, nullable: true })
  userAgent!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  ip!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ format: 'date-time' })
  lastUsedAt!: Date;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: Date;

  @ApiProperty({ description: 'Whether this is the session of the calling access token.' })
  current!: boolean;
}

export class SessionListResponse {
  @ApiProperty({ type: [SessionResponse] })
  items!: SessionResponse[];

  @ApiPropertyOptional({ type: String, nullable: true, format: 'uuid' })
  nextCursor!: string | null;
}
