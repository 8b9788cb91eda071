import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthContext, ClientInfo } from '../common/auth/auth-context';
import { Auth } from '../common/auth/auth.decorator';
import { Client, CurrentAuth } from '../common/auth/current-auth.decorator';
import { ProblemResponse } from '../common/openapi/problem.schema';
import { DEFAULT_PAGE_SIZE, PageQuery } from '../common/pagination/page';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyListResponse, CreateApiKeyRequest, CreatedApiKeyResponse } from './dto/api-keys.dto';

@ApiTags('api-keys')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @Auth()
  @ApiOperation({ summary: "The organization's API keys (prefix, name, last use), newest first. Secrets are never shown again." })
  @ApiOkResponse({ type: ApiKeyListResponse })
  list(@CurrentAuth() auth: AuthContext, @Query() page: PageQuery): Promise<ApiKeyListResponse> {
    return this.keys.list(auth, page.limit ?? DEFAULT_PAGE_SIZE, page.cursor);
  }

  @Post()
  @Auth({ roles: ['owner', 'admin'], apiKey: false })
  @ApiOperation({ summary: 'Create an API key. It acts for the organization with member rights; the secret is in this response only.' })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  create(@CurrentAuth() auth: AuthContext, @Body() body: CreateApiKeyRequest, @Client() client: ClientInfo): Promise<CreatedApiKeyResponse> {
    return this.keys.create(auth, body.name, client);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Auth({ roles: ['owner', 'admin'], apiKey: false })
  @ApiOperation({ summary: 'Revoke an API key; it stops working at once.' })
  @ApiNoContentResponse({ description: 'Revoked.' })
  @ApiNotFoundResponse({ type: ProblemResponse, description: 'No such key in this organization.' })
  async revoke(@CurrentAuth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Client() client: ClientInfo): Promise<void> {
    await this.keys.revoke(auth, id, client);
  }
}
