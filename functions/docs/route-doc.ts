/**
 * What the OpenAPI document says of a route beyond the manifest (functions/lib/openapi.ts): each
 * docs file declares its entries against the typed route keys of the functions it covers, so an
 * entry for a route those functions do not serve fails tsc.
 */
import * as z from 'zod';
import './zod-openapi.ts';
import type { FunctionName, RouteKey, RouteKeyOf } from '#wiring/manifest.ts';

export interface RouteDoc {
  readonly summary: string;
  readonly body?: z.ZodType;
  readonly query?: z.ZodObject;
  readonly response?: z.ZodType;
  readonly status?: number;
  readonly contentType?: string;
  /** Error statuses beyond the common ones (e.g. 429 on the public lookup). */
  readonly moreErrors?: readonly number[];
}

/** Docs of some of the routes of the functions `N`; a route without one appears undocumented. */
export type RouteDocs<N extends FunctionName = FunctionName> = {
  readonly [K in Extract<RouteKeyOf<N>, RouteKey>]?: RouteDoc;
};

/** A page of items, as the list routes answer. */
export const listOf = (item: z.ZodType) => z.object({ items: z.array(item), next: z.string().optional() });
