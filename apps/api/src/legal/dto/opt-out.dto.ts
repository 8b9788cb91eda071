import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination/page';
import { TokenField } from '../../common/validation/fields';
import { SUPPRESSION_KINDS, type SuppressionKind } from '../suppression-hash';

const trim = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** Exactly one of the three (checked by the service, which names the fields in `errors`). */
export class OptOutRequestBody {
  @ApiPropertyOptional({ format: 'email', maxLength: 254, description: 'An email address: a confirmation link is mailed to it; the opt-out takes effect when it is followed.' })
  @IsOptional()
  @trim
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an email address' })
  email?: string;

  @ApiPropertyOptional({ maxLength: 2048, example: 'https://www.linkedin.com/in/jane-doe', description: 'A profile URL (http or https); takes effect at once.' })
  @IsOptional()
  @trim
  @IsString()
  @Length(1, 2048)
  profileUrl?: string;

  @ApiPropertyOptional({ maxLength: 253, example: 'example.com', description: 'A domain you control; takes effect at once. Shared mail providers and public suffixes are refused.' })
  @IsOptional()
  @trim
  @IsString()
  @Length(1, 253)
  domain?: string;
}

export class OptOutConfirmBody {
  @TokenField('The token from the confirmation link (valid 24 hours, once).')
  token!: string;
}

export class OptOutResponse {
  @ApiProperty({ enum: ['confirmation_sent', 'suppressed'], description: '`confirmation_sent` for an email (nothing changes until the link is followed), `suppressed` for a profile URL or a domain.' })
  status!: 'confirmation_sent' | 'suppressed';

  @ApiProperty({ enum: SUPPRESSION_KINDS })
  kind!: SuppressionKind;

  @ApiProperty({ example: 'If the address can receive email, a confirmation link is on its way. The opt-out takes effect when it is followed.' })
  message!: string;
}

export class SuppressionCounts {
  @ApiProperty({ example: 12 })
  email!: number;

  @ApiProperty({ example: 3 })
  profileUrl!: number;

  @ApiProperty({ example: 1 })
  domain!: number;

  @ApiProperty({ example: 16 })
  total!: number;
}

export class SuppressionItem {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: SUPPRESSION_KINDS })
  kind!: SuppressionKind;

  @ApiProperty({ description: 'HMAC-SHA256 of the normalized value under the suppression key, hex. Not reversible.', example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' })
  hash!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class SuppressionListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: SUPPRESSION_KINDS, description: 'Platform administrators: only this kind.' })
  @IsOptional()
  @IsIn(SUPPRESSION_KINDS)
  kind?: SuppressionKind;
}

export class SuppressionListResponse {
  @ApiProperty({ type: SuppressionCounts })
  counts!: SuppressionCounts;

  @ApiProperty({ type: [SuppressionItem], description: 'Entries, newest first: platform administrators only (empty for org admins).' })
  items!: SuppressionItem[];

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  nextCursor!: string | null;
}

