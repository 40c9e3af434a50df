import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { GatewayError } from './gateway.error.js';

const messagesOf = (errors: ValidationError[]): string[] =>
  errors.flatMap((error) =>
    error.constraints ? Object.values(error.constraints) : messagesOf(error.children ?? []),
  );

/** Validates /v1 query strings and bodies; unknown parameters are refused by name, as on ingest. */
export const strictValidation = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidNonWhitelisted: true,
  // Several checks of one field may share a message (a date's format and its range): say it once.
  exceptionFactory: (errors) => new GatewayError('invalid_request', 400, [...new Set(messagesOf(errors))].join('; ')),
});
