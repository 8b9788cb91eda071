import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PageQuery } from '../../common/pagination/page';
import { EmailField } from '../../common/validation/fields';

export class DsarBody {
  @EmailField('The data subject: every lead of the organization with this address, and what refers to them.')
  email!: string;
}

export class AuditLogQuery extends PageQuery {
  @ApiPropertyOptional({ maxLength: 100, example: 'auth.login.succeeded', description: 'An action, or a prefix ending with a dot (`legal.`, `auth.login.`).' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(/^[a-z0-9_.]+$/, { message: 'action must be lower-case letters, digits, dots and underscores' })
  action?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Events by this user.' })
  @IsOptional()
  @IsUUID()
  actorUserId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Events by this API key.' })
  @IsOptional()
  @IsUUID()
  actorApiKeyId?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Events at or after this time.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Events before this time.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}

export class AuditLogItem {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'lead.deleted' })
  action!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  actorUserId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  actorApiKeyId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'lead' })
  targetType!: string | null;

  @ApiProperty({ type: String, nullable: true })
  targetId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  ip!: string | null;

  @ApiProperty({ type: String, nullable: true })
  userAgent!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Flat facts (counts, kinds); never an email address, a name or a secret.' })
  metadata!: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class AuditLogResponse {
  @ApiProperty({ type: [AuditLogItem] })
  items!: AuditLogItem[];

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  nextCursor!: string | null;
}
