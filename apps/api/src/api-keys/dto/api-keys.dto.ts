import { ApiProperty } from '@nestjs/swagger';
import { NameField } from '../../common/validation/fields';

export class CreateApiKeyRequest {
  @NameField({ description: 'What the key is for.', example: 'CRM sync' })
  name!: string;
}

export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'CRM sync' })
  name!: string;

  @ApiProperty({ example: 'lf_Xy12ab9Q', description: 'The first characters of the key, to recognise it.' })
  prefix!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastUsedAt!: Date | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  createdByUserId!: string | null;
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({ example: 'lf_Xy12ab9Q...', description: 'The key. Shown this once: store it now; only its hash is kept. Send it as X-API-Key.' })
  secret!: string;
}

export class ApiKeyListResponse {
  @ApiProperty({ type: [ApiKeyResponse] })
  items!: ApiKeyResponse[];

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  nextCursor!: string | null;
}
