import { HttpStatus } from '@nestjs/common';
import { AppError } from '../errors/app-error';

const BEARER_CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="leadforge"' };

export const unauthenticated = (): AppError =>
  new AppError('unauthenticated', HttpStatus.UNAUTHORIZED, 'Authentication is required: send an access token (Authorization: Bearer) or an API key (X-API-Key).', {
    headers: BEARER_CHALLENGE,
  });

export const invalidToken = (detail = 'The access token is invalid or has expired.'): AppError =>
  new AppError('invalid_token', HttpStatus.UNAUTHORIZED, detail, { headers: { 'WWW-Authenticate': 'Bearer realm="leadforge", error="invalid_token"' } });

export const invalidApiKey = (): AppError => new AppError('invalid_api_key', HttpStatus.UNAUTHORIZED, 'The API key is invalid or has been revoked.');

export const forbidden = (code: string, detail: string): AppError => new AppError(code, HttpStatus.FORBIDDEN, detail);
