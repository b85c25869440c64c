/** Jupyter Server URLs may carry a secret (`?token=`, a password): take it from them, never show it. */

/**
 * A server URL as it may be shown (messages, logs, progress): the `token` query parameter and any
 * password in the URL replaced by `***`. Text that does not parse as a URL is redacted the same way.
 */
export function redactServerUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.searchParams.has('token')) parsed.searchParams.set('token', '***');
    return parsed.toString();
  } catch {
    return url.replace(/([?&#;]token=)[^&#\s]*/gi, '$1***').replace(/(\/\/[^/:@\s]*:)[^@/\s]*@/, '$1***@');
  }
}

/** The `?token=` of a server URL (as Jupyter prints it for copying), if there is one. */
export function tokenFromServerUrl(url: string): string | undefined {
  try {
    return new URL(url).searchParams.get('token') || undefined;
  } catch {
    return undefined;
  }
}
