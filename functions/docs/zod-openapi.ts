/**
 * zod with zod-to-openapi's `.openapi()`, for the route docs and the generator alone (build time,
 * and the local runtime): every module that calls `.openapi()` imports this one first. The schemas
 * in shared/ name themselves with zod's own `.meta({ id, example, description })`, which the
 * generator reads too, so that no function bundles the extension.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';

// Only ZodType is touched: passing the namespace itself would keep all of zod (and its ~260 KB of
// locales) in every bundle that imports this.
extendZodWithOpenApi({ ZodType: z.ZodType } as unknown as typeof z);
