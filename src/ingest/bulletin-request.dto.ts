import {
  IsDefined,
  IsNotEmpty,
  IsString,
  Validate,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';

export const MAX_PROPERTY_KEY_CHARS = 120;
export const MAX_PROPERTY_VALUE_BYTES = 512;

/** Why a `properties` object is not acceptable to CleverTap, or undefined when it is. */
export function propertiesProblem(value: unknown): string | undefined {
  if (value === undefined || value === null) return 'properties is required and must be an object';
  if (typeof value !== 'object' || Array.isArray(value))
    return `properties must be an object of string values (got ${describeType(value)})`;
  for (const [key, item] of Object.entries(value)) {
    if (key.length === 0) return 'properties must not have an empty key';
    if (key.length > MAX_PROPERTY_KEY_CHARS)
      return `properties key "${key.slice(0, 20)}..." is ${key.length} characters; at most ${MAX_PROPERTY_KEY_CHARS} are allowed`;
    if (typeof item !== 'string')
      return `properties.${key} must be a string (CleverTap accepts string values only; got ${describeType(item)})`;
    const bytes = Buffer.byteLength(item, 'utf8');
    if (bytes > MAX_PROPERTY_VALUE_BYTES)
      return `properties.${key} is ${bytes} bytes in UTF-8; at most ${MAX_PROPERTY_VALUE_BYTES} bytes are allowed`;
  }
  return undefined;
}

/** UNIX timestamps are in seconds; anything longer is almost surely milliseconds, i.e. a mistake. */
const MAX_UNIX_SECONDS = 99_999_999_999;

/** CleverTap's own wording for a bad `when` is `"when" has an incorrect value - null`. */
export function whenProblem(value: unknown): string | undefined {
  if (value === 'now') return undefined;
  const seconds = typeof value === 'string' && /^\d{1,11}$/.test(value) ? Number(value) : value;
  if (typeof seconds === 'number' && Number.isSafeInteger(seconds) && seconds >= 0 && seconds <= MAX_UNIX_SECONDS)
    return undefined;
  const shown = value === undefined || value === null ? 'null' : typeof value === 'string' ? value : JSON.stringify(value);
  return `"when" has an incorrect value - ${shown}`;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

@ValidatorConstraint({ name: 'bulletinProperties' })
class BulletinProperties implements ValidatorConstraintInterface {
  validate = (value: unknown) => propertiesProblem(value) === undefined;
  defaultMessage = (args: ValidationArguments) => propertiesProblem(args.value)!;
}

@ValidatorConstraint({ name: 'bulletinWhen' })
class BulletinWhen implements ValidatorConstraintInterface {
  validate = (value: unknown) => whenProblem(value) === undefined;
  defaultMessage = (args: ValidationArguments) => whenProblem(args.value)!;
}

const required = (field: string) => ({ message: `${field} is required and must be a non-empty string` });

/**
 * The Bulletins request body, as CleverTap documents it. Fields are validated in
 * this order and the first problem is reported, naming its field.
 */
export class BulletinRequestDto {
  @IsDefined(required('business_event')) @IsString(required('business_event')) @IsNotEmpty(required('business_event'))
  business_event: string;

  @IsDefined(required('name')) @IsString(required('name')) @IsNotEmpty(required('name'))
  name: string;

  @Validate(BulletinProperties)
  properties: Record<string, string>;

  @IsDefined(required('c-by')) @IsString(required('c-by')) @IsNotEmpty(required('c-by'))
  'c-by': string;

  @Validate(BulletinWhen)
  when: string | number;
}

export const BULLETIN_FIELDS = ['business_event', 'name', 'properties', 'c-by', 'when'];
