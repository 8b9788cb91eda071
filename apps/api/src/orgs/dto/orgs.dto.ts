import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString } from 'class-validator';
import { EmailField, NameField, TokenField } from '../../common/validation/fields';
import { INVITABLE_ROLES, type InvitableRole } from '../invitation.entity';
import { ORG_ROLES, type OrgRole } from '../membership.entity';

export class OrganizationResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Analytical Engines Ltd' })
  name!: string;

  @ApiProperty({ enum: ORG_ROLES, enumName: 'OrgRole', description: "The caller's role." })
  role!: OrgRole;

  @ApiProperty({ format: 'date-time' })
  createdAt!: Date;
}

export class UpdateOrganizationRequest {
  @NameField({ description: 'Organization name.', example: 'Analytical Engines Ltd' })
  name!: string;
}

export class MemberResponse {
  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ format: 'email' })
  email!: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  name!: string;

  @ApiProperty({ enum: ORG_ROLES, enumName: 'OrgRole' })
  role!: OrgRole;

  @ApiProperty({ format: 'date-time' })
  joinedAt!: Date;
}

export class MemberListResponse {
  @ApiProperty({ type: [MemberResponse] })
  items!: MemberResponse[];

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  nextCursor!: string | null;
}

export class ChangeRoleRequest {
  @ApiProperty({ enum: ORG_ROLES, enumName: 'OrgRole' })
  @IsString()
  @IsIn(ORG_ROLES)
  role!: OrgRole;
}

export class CreateInvitationRequest {
  @EmailField('Address the invitation is sent to; only an account with this address can accept it.')
  email!: string;

  @ApiProperty({ enum: INVITABLE_ROLES, enumName: 'InvitableRole', description: 'Role given on acceptance (ownership is granted later by an owner).' })
  @IsString()
  @IsIn(INVITABLE_ROLES)
  role!: InvitableRole;
}

export class InvitationResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'email' })
  email!: string;

  @ApiProperty({ enum: INVITABLE_ROLES, enumName: 'InvitableRole' })
  role!: InvitableRole;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: Date;

  @ApiProperty({ format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  invitedByUserId!: string | null;
}

export class InvitationListResponse {
  @ApiProperty({ type: [InvitationResponse] })
  items!: InvitationResponse[];

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  nextCursor!: string | null;
}

export class AcceptInvitationRequest {
  @TokenField('The token from the invitation link.')
  token!: string;
}

