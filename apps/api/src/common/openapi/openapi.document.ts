import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { FieldErrorResponse, ProblemResponse } from './problem.schema';

const lowerFirst = (value: string): string => value.charAt(0).toLowerCase() + value.slice(1);
const upperFirst = (value: string): string => value.charAt(0).toUpperCase() + value.slice(1);

/** `LeadsController.findAll` -> `leadsFindAll`: unique, stable and readable in the SDK. */
export const operationIdFor = (controllerKey: string, methodKey: string): string =>
  `${lowerFirst(controllerKey.replace(/Controller$/, ''))}${upperFirst(methodKey)}`;

/** Recursively orders object keys so the committed spec is byte-for-byte deterministic. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => sortKeys(item)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    ) as T;
  }
  return value;
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Leadforge API')
    .setDescription(
      'Crawl company websites, directories and sitemaps politely; extract, classify and score leads; stream progress; filter, analyse and export. ' +
        'Errors are RFC 9457 problem details (application/problem+json) with a stable `code` and the `requestId`.',
    )
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: operationIdFor,
    extraModels: [ProblemResponse, FieldErrorResponse],
  });
  addProblemResponses(document);
  return sortKeys(document);
}

const PROBLEM_REF = { $ref: '#/components/schemas/ProblemResponse' };
const problemContent = () => ({ 'application/problem+json': { schema: PROBLEM_REF } });

/**
 * Error bodies are application/problem+json, and every operation documents the errors any request
 * can meet (invalid input, rate limit, server error) besides its own.
 */
function addProblemResponses(document: OpenAPIObject): void {
  for (const pathItem of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = pathItem[method];
      if (!operation) continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400 || !response || !('content' in response) || !response.content) continue;
        const json = response.content['application/json'];
        if (json) {
          delete response.content['application/json'];
          response.content['application/problem+json'] = json;
        }
      }
      const defaults: Record<string, string> = {
        '429': 'Too many requests (see Retry-After).',
        '500': 'Unexpected server error.',
      };
      if (operation.requestBody || operation.parameters?.length) defaults['400'] = 'Invalid request (see errors[]).';
      for (const [status, description] of Object.entries(defaults)) {
        operation.responses[status] ??= { description, content: problemContent() };
      }
    }
  }
}
