import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { pathOf } from './error-response.js';

/**
 * RFC 8288 `Link: <...>; rel="next"` on every /v1 list page that has a next one: the same path and
 * filters with the page's `next_cursor`, as a path-relative URI, so a client follows links instead of
 * building URLs.
 */
export class NextPageLinkInterceptor implements NestInterceptor {
  constructor(private readonly scrub: (text: string) => string) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.method !== 'GET' || !pathOf(request).startsWith('/v1/')) return next.handle();
    return next.handle().pipe(
      map((body) => {
        const cursor = (body as { next_cursor?: unknown } | null)?.next_cursor;
        if (typeof cursor === 'string') context.switchToHttp().getResponse<FastifyReply>().header('Link', nextPageLink(request, cursor, this.scrub));
        return body;
      }),
    );
  }
}

export function nextPageLink(request: FastifyRequest, cursor: string, scrub: (text: string) => string): string {
  const url = new URL(request.url, 'http://gateway.invalid');
  url.searchParams.set('cursor', cursor);
  // The filters come from the client: a key pasted into one does not come back in a header.
  return `<${scrub(`${url.pathname}${url.search}`)}>; rel="next"`;
}
