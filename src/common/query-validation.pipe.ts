import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { type FieldError, GatewayError } from './gateway.error.js';

/** `accounts[0]` for an array item, `parent.child` for a nested object's field. */
const pathOf = (parent: string, property: string) =>
  parent === '' ? property : /^\d+$/.test(property) ? `${parent}[${property}]` : `${parent}.${property}`;

/** Checks that bound a value that is there: about a missing value they say nothing true. */
const BOUNDS = new Set(['maxLength', 'minLength', 'isLength', 'min', 'max', 'arrayMaxSize', 'arrayMinSize', 'maxDate', 'minDate']);

/**
 * One entry per field and message. A missing field fails every check it has, but only its first
 * written check that is not a bound (the type or presence check) says what is wrong: "must be shorter
 * than 1000 characters" about an absent reason would mislead. class-validator runs a property's
 * decorators bottom-up, so the first written is the last in `constraints`.
 */
export function fieldErrorsOf(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = pathOf(parent, error.property);
    const constraints = Object.entries(error.constraints ?? {});
    let messages = [...new Set(constraints.map(([, message]) => message))];
    if (error.value === undefined || error.value === null) {
      const unbounded = constraints.filter(([name]) => !BOUNDS.has(name)).reverse();
      messages = (unbounded.length > 0 ? unbounded : constraints).slice(0, 1).map(([, message]) => message);
    }
    return [...messages.map((message) => ({ field, message })), ...fieldErrorsOf(error.children ?? [], field)];
  });
}

/** Validates /v1 query strings and bodies; unknown parameters are refused by name, as on ingest. */
export const strictValidation = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidNonWhitelisted: true,
  exceptionFactory: (errors) => {
    const fields = fieldErrorsOf(errors);
    // Several checks of one field may share a message (a number's type and its range): say it once.
    return new GatewayError('invalid_request', 400, [...new Set(fields.map((e) => e.message))].join('; '), fields);
  },
});
