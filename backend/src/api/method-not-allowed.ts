import type { RequestHandler } from 'express';
import { HttpError } from './http-errors';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `/v1/jobs/{id}/cancel` → a pattern matching `/v1/jobs/<anything but a slash>/cancel`. */
const pathPattern = (template: string) =>
  new RegExp(
    `^${template
      .split(/\{[^}]+\}/)
      .map(escapeRegExp)
      .join('[^/]+')}$`,
  );

/**
 * For a path the OpenAPI document declares, a method it does not is `405 method_not_allowed` with an
 * `Allow` header (RFC 9110), not the `404` of a path that does not exist. Mounted after every route,
 * so only requests no route took get here. Allow is the union over the templates the path matches
 * (`/v1/jobs/batch` is also a `/v1/jobs/{id}`), and HEAD wherever GET is (Express answers it).
 */
export function methodNotAllowed(paths: Record<string, object>): RequestHandler {
  const routes = Object.entries(paths).map(([template, item]) => {
    const methods = Object.keys(item).filter((key) => HTTP_METHODS.includes(key));
    if (methods.includes('get') && !methods.includes('head')) methods.push('head');
    return { pattern: pathPattern(template), methods: methods.map((method) => method.toUpperCase()) };
  });
  return (req, _res, next) => {
    const allowed = new Set(routes.filter((route) => route.pattern.test(req.path)).flatMap((route) => route.methods));
    if (allowed.size === 0 || allowed.has(req.method)) return next();
    const allow = [...allowed].join(', ');
    next(
      new HttpError(
        405,
        'method_not_allowed',
        `${req.method} is not allowed on ${req.path}; it takes ${allow}`,
        undefined,
        {
          allow,
        },
      ),
    );
  };
}
