/** The sandbox gateway pages of the local runtime (filled by the payments feature). */
import type { Routes } from '#functions/lib/http.ts';

export function sandboxRoutes(): Routes {
  return {};
}
