import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { AuthContext } from '../common/auth/auth-context';
import { Auth } from '../common/auth/auth.decorator';
import { CurrentAuth } from '../common/auth/current-auth.decorator';
import { ProblemResponse } from '../common/openapi/problem.schema';
import { DEFAULT_PAGE_SIZE, PageQuery } from '../common/pagination/page';
import {
  CreateWebhookRequest,
  RotateWebhookSecretRequest,
  UpdateWebhookRequest,
  WebhookDeliveryListResponse,
  WebhookDeliveryResponse,
  WebhookListResponse,
  WebhookResponse,
  WebhookWithSecretResponse,
} from './dto/webhooks.dto';
import { WebhooksService } from './webhooks.service';

const NOT_FOUND = { type: ProblemResponse, description: 'No such webhook (or delivery) in this organization.' };
const URL_REFUSED = { type: ProblemResponse, description: '`webhook_url_not_allowed`: the URL does not reach a public address (SSRF guard), or is not https in production.' };

@ApiTags('webhooks')
@Controller('webhooks')
@Auth({ roles: ['owner', 'admin'] })
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @ApiOperation({ summary: "The organization's webhook endpoints, newest first. Secrets are never shown again." })
  @ApiOkResponse({ type: WebhookListResponse })
  list(@CurrentAuth() auth: AuthContext, @Query() page: PageQuery): Promise<WebhookListResponse> {
    return this.webhooks.list(auth, page.limit ?? DEFAULT_PAGE_SIZE, page.cursor);
  }

  @Post()
  @ApiOperation({ summary: 'Register an endpoint. The signing secret (whsec_...) is in this response only.' })
  @ApiCreatedResponse({ type: WebhookWithSecretResponse })
  @ApiUnprocessableEntityResponse(URL_REFUSED)
  @ApiConflictResponse({ type: ProblemResponse, description: '`webhook_limit_reached`: the organization has the maximum number of endpoints.' })
  create(@CurrentAuth() auth: AuthContext, @Body() body: CreateWebhookRequest): Promise<WebhookWithSecretResponse> {
    return this.webhooks.create(auth, body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One endpoint: URL, events, state. The signing secret is never shown again.' })
  @ApiOkResponse({ type: WebhookResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  get(@CurrentAuth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string): Promise<WebhookResponse> {
    return this.webhooks.get(auth, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the URL, events, description, or enable/disable the endpoint.' })
  @ApiOkResponse({ type: WebhookResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiUnprocessableEntityResponse(URL_REFUSED)
  update(@CurrentAuth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateWebhookRequest): Promise<WebhookResponse> {
    return this.webhooks.update(auth, id, body);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete the endpoint and its delivery log; pending retries stop.' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiNotFoundResponse(NOT_FOUND)
  async remove(@CurrentAuth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.webhooks.remove(auth, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'New signing secret (shown once). The old one keeps signing beside it for overlapHours, so both signatures are sent.' })
  @ApiOkResponse({ type: WebhookWithSecretResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  rotateSecret(@CurrentAuth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: RotateWebhookSecretRequest): Promise<WebhookWithSecretResponse> {
    return this.webhooks.rotateSecret(auth, id, body.overlapHours);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Delivery log of the endpoint, newest first: status, attempts, last response, next retry.' })
  @ApiOkResponse({ type: WebhookDeliveryListResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  deliveries(@CurrentAuth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Query() page: PageQuery): Promise<WebhookDeliveryListResponse> {
    return this.webhooks.deliveries(auth, id, page.limit ?? DEFAULT_PAGE_SIZE, page.cursor);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send a finished delivery once more (same webhook-id and body).' })
  @ApiAcceptedResponse({ type: WebhookDeliveryResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({ type: ProblemResponse, description: '`delivery_in_progress`: still being attempted; `webhook_disabled`: enable the endpoint first.' })
  redeliver(
    @CurrentAuth() auth: AuthContext,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('deliveryId', new ParseUUIDPipe()) deliveryId: string,
  ): Promise<WebhookDeliveryResponse> {
    return this.webhooks.redeliver(auth, id, deliveryId);
  }

  @Post(':id/ping')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Queue a signed `webhook.ping` message to test the receiver (also while disabled).' })
  @ApiAcceptedResponse({ type: WebhookDeliveryResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  ping(@CurrentAuth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string): Promise<WebhookDeliveryResponse> {
    return this.webhooks.ping(auth, id);
  }
}
