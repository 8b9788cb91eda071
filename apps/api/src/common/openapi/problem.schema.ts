import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorResponse {
  @ApiProperty({ example: 'email' })
  field!: string;

  @ApiProperty({ example: 'email must be an email' })
  message!: string;
}

/** RFC 9457 problem details, the body of every error response (application/problem+json). */
export class ProblemResponse {
  @ApiProperty({ example: 'urn:leadforge:problem:validation_failed' })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'The request is invalid; see errors for each field.' })
  detail!: string;

  @ApiProperty({ example: '/api/v1/scraper/start' })
  instance!: string;

  @ApiProperty({ example: 'validation_failed', description: 'Stable machine-readable error code (see docs/problems.md).' })
  code!: string;

  @ApiProperty({ example: '0193a5b2-7c1e-7d3a-9f00-2b7c4e1d9a10', description: 'Equals the X-Request-ID response header.' })
  requestId!: string;

  @ApiPropertyOptional({ type: [FieldErrorResponse] })
  errors?: FieldErrorResponse[];
}
