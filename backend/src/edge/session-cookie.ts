import type { Response } from 'express';
import { parse as parseCookies, serialize } from 'cookie';
import { SESSION_COOKIE } from '../accounts/sessions';

/** The session token of a `Cookie` header, if any: REST requests and socket handshakes alike. */
export function sessionCookieOf(cookieHeader: string | undefined): string | undefined {
  return cookieHeader ? parseCookies(cookieHeader)[SESSION_COOKIE] : undefined;
}

export interface CookieSettings {
  /** Send the cookie only over HTTPS (on in production; off for local http). */
  secure: boolean;
  maxAgeSeconds: number;
}

/** The session cookie: httpOnly (no script reads it), SameSite=Lax (not sent on cross-site posts). */
export function setSessionCookie(res: Response, token: string, settings: CookieSettings): void {
  res.append(
    'set-cookie',
    serialize(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: settings.secure,
      path: '/',
      maxAge: settings.maxAgeSeconds,
    }),
  );
}

export function clearSessionCookie(res: Response, settings: CookieSettings): void {
  res.append(
    'set-cookie',
    serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: settings.secure, path: '/', maxAge: 0 }),
  );
}
