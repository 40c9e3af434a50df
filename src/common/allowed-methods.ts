import type { FastifyInstance } from 'fastify';

interface RouteShape {
  pattern: RegExp;
  methods: Set<string>;
}

/** Each server's routes, by path pattern, as registered (see recordRoutes). */
const routesOf = new WeakMap<object, Map<string, RouteShape>>();

/** `/v1/partners/:id/keys` -> a RegExp matching the paths of that route; `*` matches the rest of the path. */
function patternOf(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z0-9_]+|\*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}/?$`);
}

/**
 * Keeps the method set of every route path as routes are registered, so that a known path asked with
 * another method can be answered 405 with an `Allow` header (RFC 9110 §15.5.6) instead of 404. Must be
 * called before the routes are registered (before app.init()).
 */
export function recordRoutes(fastify: FastifyInstance): void {
  const routes = new Map<string, RouteShape>();
  routesOf.set(fastify, routes);
  fastify.addHook('onRoute', (route) => {
    const shape = routes.get(route.url) ?? { pattern: patternOf(route.url), methods: new Set<string>() };
    for (const method of [route.method].flat()) shape.methods.add(method.toUpperCase());
    routes.set(route.url, shape);
  });
}

/** The methods `path` answers to (HEAD with GET), sorted; empty when no route has that path. */
export function allowedMethods(server: object, path: string): string[] {
  const methods = new Set<string>();
  for (const shape of routesOf.get(server)?.values() ?? []) {
    if (shape.pattern.test(path)) for (const method of shape.methods) methods.add(method);
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
