import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

const trim = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** An email address, trimmed, at most 254 characters. */
export const EmailField = (description = 'Email address.'): PropertyDecorator =>
  applyDecorators(ApiProperty({ format: 'email', maxLength: 254, example: 'ada@example.com', description }), trim, IsString(), MaxLength(254), IsEmail({}, { message: 'email must be an email address' }));

/** A display name (person or organization): 1..100 characters after trimming. */
export const NameField = (options: { description: string; example: string; optional?: boolean }): PropertyDecorator =>
  applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({ minLength: 1, maxLength: 100, example: options.example, description: options.description }),
    ...(options.optional ? [IsOptional()] : []),
    trim,
    IsString(),
    Length(1, 100),
    Matches(/^[^\p{Cc}]*$/u, { message: '$property must not contain control characters' }),
  );

/** A password as typed: not trimmed; the strength policy applies where a new password is set. */
export const PasswordField = (options: { description: string; min?: number }): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ format: 'password', minLength: options.min ?? 1, maxLength: 128, description: options.description }),
    IsString(),
    Length(options.min ?? 1, 128),
  );

/** An opaque token from an emailed link. */
export const TokenField = (description: string): PropertyDecorator =>
  applyDecorators(ApiProperty({ minLength: 16, maxLength: 256, description }), IsString(), Length(16, 256), Matches(/^[A-Za-z0-9_-]+$/, { message: 'token is malformed' }));
