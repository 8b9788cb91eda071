import { BadRequestException, HttpStatus, NotFoundException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { describe, expect, it } from 'vitest';
import { AppError } from './app-error';
import { toProblem } from './problem-details';

const facts = { requestId: 'req-12345678', instance: '/api/v1/x' };

describe('toProblem', () => {
  it('keeps the reserved members when an extension has the same name', () => {
    const { body } = toProblem(new AppError('task_state_conflict', HttpStatus.CONFLICT, 'nope', { extensions: { status: 'paused', code: 'x', requestId: 'y', limit: 2 } }), facts);
    expect(body).toMatchObject({ status: 409, code: 'task_state_conflict', requestId: 'req-12345678', limit: 2 });
  });

  it('maps rate limiting to 429 rate_limited', () => {
    expect(toProblem(new ThrottlerException(), facts).body).toMatchObject({ status: 429, code: 'rate_limited' });
  });

  it('maps an unreachable database to 503 with Retry-After, whatever wraps it', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const wrapped = Object.assign(new Error('query failed'), { driverError: refused });
    const mapped = toProblem(wrapped, facts);
    expect(mapped.body).toMatchObject({ status: 503, code: 'database_unavailable' });
    expect(mapped.headers['Retry-After']).toBe('5');
    expect(JSON.stringify(mapped.body)).not.toContain('5432');
  });

  it('hides the message of unexpected errors and flags them for logging', () => {
    const mapped = toProblem(new TypeError("Cannot read properties of undefined (reading 'secret')"), facts);
    expect(mapped.unexpected).toBe(true);
    expect(mapped.body).toMatchObject({ status: 500, code: 'internal_error', detail: 'An unexpected error occurred.' });
  });

  it('turns router 404s into route_not_found and keeps messages of client errors', () => {
    expect(toProblem(new NotFoundException('Cannot GET /api/v1/nope'), facts).body.code).toBe('route_not_found');
    expect(toProblem(new BadRequestException('limit must be a number'), facts).body).toMatchObject({ status: 400, code: 'bad_request', detail: 'limit must be a number' });
  });

  it('maps Fastify body errors', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });
    expect(toProblem(tooLarge, facts).body).toMatchObject({ status: 413, code: 'payload_too_large' });
  });
});
