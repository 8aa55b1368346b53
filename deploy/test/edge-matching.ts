/**
 * Which rule of the edge answers a request path: the Gateway API's HTTPRoute matching and nginx's
 * location selection, as their specifications describe them, for the paths our routes use (path
 * matches only: no header, method or query matches here).
 */
import type { Obj } from './render';

type Rule = { matches?: { path?: { type: string; value: string } }[]; backendRefs?: { name: string }[] };

/** Gateway API PathPrefix: whole path elements, a trailing slash of the prefix ignored. */
function prefixMatches(prefix: string, path: string): boolean {
  const p = prefix.replace(/\/+$/, '');
  return p === '' || path === p || path.startsWith(`${p}/`);
}

/**
 * The rule of these HTTPRoutes (those attached to `listener`) that a request for `path` meets: an
 * Exact match first, then the longest PathPrefix (Gateway API, HTTPRoute "Matching precedence").
 * A rule without matches matches every path, as PathPrefix `/`.
 */
export function gatewayRuleFor(routes: Obj[], listener: string, path: string): Rule | undefined {
  let best: { rule: Rule; rank: number } | undefined;
  for (const route of routes) {
    if (!route.spec.parentRefs.some((ref: { sectionName?: string }) => ref.sectionName === listener)) continue;
    for (const rule of route.spec.rules as Rule[]) {
      for (const match of rule.matches ?? [{ path: { type: 'PathPrefix', value: '/' } }]) {
        const { type, value } = match.path ?? { type: 'PathPrefix', value: '/' };
        const hit = type === 'Exact' ? path === value : type === 'PathPrefix' && prefixMatches(value, path);
        // Exact beats any prefix; a longer prefix beats a shorter one.
        const rank = type === 'Exact' ? Infinity : value.length;
        if (hit && (!best || rank > best.rank)) best = { rule, rank };
      }
    }
  }
  return best?.rule;
}

export type Location = { modifier: '' | '=' | '^~' | '~' | '~*'; pattern: string; body: string };

/** The `location` blocks of an nginx configuration, in order (one level of braces inside each). */
export function nginxLocations(conf: string): Location[] {
  return [...conf.matchAll(/^\s*location\s+(=|\^~|~\*|~)?\s*(\S+)\s*\{((?:[^{}]|\{[^{}]*\})*)\}/gm)].map(
    ([, modifier, pattern, body]) => ({ modifier: (modifier ?? '') as Location['modifier'], pattern, body }),
  );
}

/** What nginx matches locations against: the decoded URI path with repeated slashes merged. */
export const nginxNormalise = (uri: string) => decodeURIComponent(uri.split('?')[0]).replace(/\/{2,}/g, '/');

/**
 * The location nginx picks (ngx_http_core_module, "location"): an exact `=` match; else the longest
 * prefix, used at once when it has `^~`; else the first regular expression that matches, in order;
 * else that longest prefix.
 */
export function nginxLocationFor(locations: Location[], uri: string): Location | undefined {
  const path = nginxNormalise(uri);
  const exact = locations.find((l) => l.modifier === '=' && l.pattern === path);
  if (exact) return exact;
  const prefix = locations
    .filter((l) => (l.modifier === '' || l.modifier === '^~') && path.startsWith(l.pattern))
    .sort((a, b) => b.pattern.length - a.pattern.length)[0];
  if (prefix?.modifier === '^~') return prefix;
  const regex = locations.find(
    (l) =>
      (l.modifier === '~' || l.modifier === '~*') && new RegExp(l.pattern, l.modifier === '~*' ? 'i' : '').test(path),
  );
  return regex ?? prefix;
}
