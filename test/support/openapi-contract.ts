import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { buildOpenApiDocument } from '../../src/openapi/openapi.js';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/** One way an answer differs from what the OpenAPI document declares for it. */
export interface Mismatch {
  /** `GET /v1/events/{id}`, or the request's own path when the document has no such operation. */
  operation: string;
  url: string;
  status: number;
  kind: 'status' | 'content-type' | 'header' | 'body';
  message: string;
  errors?: ErrorObject[];
}

export interface Answer {
  method: string;
  url: string;
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const mediaTypeOf = (value: unknown) => String(value ?? '').split(';')[0].trim().toLowerCase();
const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');

/**
 * Checks real answers against the OpenAPI document the gateway serves: the status is declared for the
 * operation, the content type is one it declares for that status, required headers are present, and a
 * JSON body is valid against the declared schema (ajv, with formats). Only /v1 is checked: the ingest
 * route keeps CleverTap's shape, and health, metrics and the console are outside the contract's conventions.
 */
export class OpenApiContract {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: { path: string; pattern: RegExp; params: number }[];

  constructor(readonly document: Json) {
    // strict: false ignores OpenAPI's own keywords (example, discriminator); nullable is built into ajv.
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addSchema(document, 'openapi.json');
    // Literal segments win over parameters: /v1/events/counts before /v1/events/{id}.
    this.templates = Object.keys(document.paths)
      .map((path) => ({
        path,
        pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
        params: (path.match(/\{/g) ?? []).length,
      }))
      .sort((a, b) => a.params - b.params);
  }

  /** Whether the contract covers this request (the /v1 routes). */
  covers(url: string): boolean {
    return url.startsWith('/v1/') || url === '/v1' || url.startsWith('/v1?');
  }

  /** `METHOD /template` of the operation a request calls, or `METHOD /path` when the document has none. */
  operationName(method: string, url: string): string {
    const path = pathOf(url);
    return `${method.toUpperCase()} ${this.templates.find((candidate) => candidate.pattern.test(path))?.path ?? path}`;
  }

  check(answer: Answer): Mismatch[] {
    const path = pathOf(answer.url);
    const template = this.templates.find((candidate) => candidate.pattern.test(path));
    // HEAD is answered wherever GET is, with GET's status and headers and no body.
    const head = answer.method.toUpperCase() === 'HEAD';
    if (head) answer = { ...answer, method: 'GET', body: '' };
    const operation = template ? this.document.paths[template.path][answer.method.toLowerCase()] : undefined;
    const name = `${answer.method} ${template?.path ?? path}`;
    const mismatch = (kind: Mismatch['kind'], message: string, errors?: ErrorObject[]): Mismatch => ({
      operation: name,
      url: answer.url,
      status: answer.status,
      kind,
      message,
      errors,
    });
    if (!operation) {
      // An unknown path (404), another method on a known one (405), or a path the router cannot read
      // (400, 414) answers a problem.
      if (![400, 404, 405, 414].includes(answer.status)) return [mismatch('status', `${answer.status} for an operation the document does not have`)];
      return this.checkContent(answer, { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } }, `#/components/schemas/Problem`, mismatch);
    }
    const responses: Json = operation.responses;
    const key = [String(answer.status), `${String(answer.status)[0]}XX`, 'default'].find((candidate) => candidate in responses);
    if (!key) return [mismatch('status', `status ${answer.status} is not declared (declared: ${Object.keys(responses).join(', ')})`)];
    const pointer = `#/paths/${escapePointer(template!.path)}/${answer.method.toLowerCase()}/responses/${key}`;
    const found: Mismatch[] = [];
    for (const [header, declared] of Object.entries<Json>(responses[key].headers ?? {})) {
      const resolved = declared.$ref ? this.resolve(declared.$ref) : declared;
      if (resolved.required && answer.headers[header.toLowerCase()] === undefined) found.push(mismatch('header', `required header ${header} is missing`));
    }
    return head ? found : [...found, ...this.checkContent(answer, responses[key], pointer, mismatch)];
  }

  private checkContent(answer: Answer, response: Json, pointer: string, mismatch: (kind: Mismatch['kind'], message: string, errors?: ErrorObject[]) => Mismatch): Mismatch[] {
    const mediaType = mediaTypeOf(answer.headers['content-type']);
    const declared = Object.keys(response.content ?? {});
    if (declared.length === 0) return answer.body.length === 0 ? [] : [mismatch('content-type', `a body (${mediaType}) where none is declared`)];
    if (!declared.includes(mediaType)) return [mismatch('content-type', `${mediaType || 'no content type'} is not declared (declared: ${declared.join(', ')})`)];
    if (!isJson(mediaType) || !response.content[mediaType].schema) return [];
    let body: unknown;
    try {
      body = JSON.parse(answer.body);
    } catch {
      return [mismatch('body', `the body is not JSON: ${answer.body.slice(0, 200)}`)];
    }
    const ref = pointer.startsWith('#/components/') ? pointer : `${pointer}/content/${escapePointer(mediaType)}/schema`;
    let validate: ValidateFunction;
    try {
      validate = this.validator(ref);
    } catch (error) {
      return [mismatch('body', `the declared schema cannot be compiled: ${(error as Error).message}`)];
    }
    return validate(body) ? [] : [mismatch('body', this.ajv.errorsText(validate.errors, { dataVar: 'body' }), validate.errors ?? undefined)];
  }

  /** Compiles every JSON response schema of the document; returns those that cannot be compiled, and why. */
  compileAll(): string[] {
    const failures: string[] = [];
    for (const [path, item] of Object.entries<Json>(this.document.paths))
      for (const [method, operation] of Object.entries<Json>(item)) {
        if (!METHODS.includes(method)) continue;
        for (const [status, response] of Object.entries<Json>(operation.responses ?? {}))
          for (const [mediaType, content] of Object.entries<Json>(response.content ?? {})) {
            if (!isJson(mediaType) || !content.schema) continue;
            const pointer = `#/paths/${escapePointer(path)}/${method}/responses/${status}/content/${escapePointer(mediaType)}/schema`;
            try {
              this.validator(pointer);
            } catch (error) {
              failures.push(`${method.toUpperCase()} ${path} ${status} ${mediaType}: ${(error as Error).message}`);
            }
          }
      }
    return failures;
  }

  /** Validates one body against a schema of the document (for tests that check the checker). */
  validateBody(schemaPointer: string, body: unknown): ErrorObject[] {
    const validate = this.validator(schemaPointer);
    return validate(body) ? [] : (validate.errors ?? []);
  }

  private validator(pointer: string): ValidateFunction {
    const known = this.compiled.get(pointer);
    if (known) return known;
    const validate = this.ajv.compile({ $ref: `openapi.json${pointer}` });
    this.compiled.set(pointer, validate);
    return validate;
  }

  private resolve(ref: string): Json {
    return ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((node: Json, part) => node[part.replace(/~1/g, '/').replace(/~0/g, '~')], this.document);
  }
}

/** The path without its query; the router ignores one trailing slash (http-pipeline.ts), so does the check. */
const pathOf = (url: string) => url.split('?')[0].replace(/(.)\/$/, '$1');

const escapePointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every operation of the document, as `METHOD /path`. */
export function operationsOf(document: Json): string[] {
  return Object.entries<Json>(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((method) => METHODS.includes(method))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

let shared: OpenApiContract | undefined;

/** The document is the same for every gateway of a run, so it is built and compiled once per test file. */
export function contractOf(app: INestApplication): OpenApiContract {
  shared ??= new OpenApiContract(JSON.parse(JSON.stringify(buildOpenApiDocument(app))));
  return shared;
}


/**
 * Watches every answer of an in-process gateway at the HTTP server, so each test file's real traffic
 * is checked against the document: the mismatches are kept for the harness to report at close.
 */
export function watchAnswers(server: Server, contract: OpenApiContract, onMismatch: (mismatch: Mismatch) => void): void {
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '';
    if (!contract.covers(url)) return;
    const chunks: Buffer[] = [];
    // Headers given to writeHead directly are not always kept where getHeaders() reads them.
    const written: Record<string, unknown> = {};
    const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse;
    response.writeHead = ((...args: unknown[]) => {
      const headers = args.find((arg, index) => index > 0 && typeof arg === 'object' && arg !== null);
      const pairs = Array.isArray(headers) ? (headers as unknown[]).reduce<[string, unknown][]>((all, value, index, list) => (index % 2 === 0 ? [...all, [String(value), list[index + 1]]] : all), []) : Object.entries(headers ?? {});
      for (const [name, value] of pairs) written[name.toLowerCase()] = value;
      return writeHead(...args);
    }) as ServerResponse['writeHead'];
    const headerOf = (name: string) => response.getHeader(name) ?? written[name];
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      if (!isJson(mediaTypeOf(headerOf('content-type')))) return;
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    };
    const write = response.write.bind(response) as (...args: unknown[]) => boolean;
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    response.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as ServerResponse['write'];
    response.end = ((chunk?: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return end(chunk, ...rest);
    }) as ServerResponse['end'];
    response.once('finish', () => {
      const answer = { method: request.method ?? 'GET', url, status: response.statusCode, headers: { ...written, ...response.getHeaders() }, body: Buffer.concat(chunks).toString('utf8') };
      for (const mismatch of contract.check(answer)) onMismatch(mismatch);
    });
  });
}
