import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length } from 'class-validator';
import { PageQuery } from '../../common/pagination/page';

export const ADMIN_SEARCH_MAX = 100;

const trim = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

export class AdminUsersQuery extends PageQuery {
  @ApiPropertyOptional({ minLength: 1, maxLength: ADMIN_SEARCH_MAX, example: 'ada@', description: 'Part of the email address or the name (case-insensitive).' })
  @IsOptional()
  @trim
  @IsString()
  @Length(1, ADMIN_SEARCH_MAX)
  q?: string;
}

export class AdminOrgsQuery extends PageQuery {
  @ApiPropertyOptional({ minLength: 1, maxLength: ADMIN_SEARCH_MAX, example: 'acme', description: 'Part of the organization name (case-insensitive).' })
  @IsOptional()
  @trim
  @IsString()
  @Length(1, ADMIN_SEARCH_MAX)
  q?: string;
}

export class AdminUserMembership {
  @ApiProperty({ format: 'uuid' }) orgId!: string;
  @ApiProperty({ example: 'Acme Ltd' }) orgName!: string;
  @ApiProperty({ enum: ['owner', 'admin', 'member'] }) role!: 'owner' | 'admin' | 'member';
}

export class AdminUserResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'ada@example.com' }) email!: string;
  @ApiProperty({ example: 'Ada Lovelace' }) name!: string;
  @ApiProperty() emailVerified!: boolean;
  @ApiProperty() isPlatformAdmin!: boolean;
  @ApiProperty({ description: 'Suspended by a platform administrator: cannot sign in.' }) suspended!: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) suspendedAt!: string | null;
  @ApiProperty({ type: [AdminUserMembership], description: 'The organizations the user belongs to.' }) memberships!: AdminUserMembership[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class AdminUserListResponse {
  @ApiProperty({ type: [AdminUserResponse] }) items!: AdminUserResponse[];
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) nextCursor!: string | null;
}

export class AdminOrgResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Acme Ltd' }) name!: string;
  @ApiProperty({ enum: ['free', 'pro', 'business'] }) plan!: 'free' | 'pro' | 'business';
  @ApiProperty({ example: 1000, description: 'Credit balance.' }) balance!: number;
  @ApiProperty({ example: 3 }) membersCount!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class AdminOrgListResponse {
  @ApiProperty({ type: [AdminOrgResponse] }) items!: AdminOrgResponse[];
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) nextCursor!: string | null;
}
