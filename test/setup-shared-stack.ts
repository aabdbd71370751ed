// The int project's files share one process and one module graph with the handlers they call
// (vitest.config.ts). Every handler extends zod with `.openapi()` (shared/api/zod.ts) before its
// schemas are built; a test file's own imports could otherwise build a schema module (e.g.
// shared/calendar.ts) first, without the extension, and a handler loaded later would find it
// missing. The process extends zod first, as each handler's own bundle does.
import '#shared/api/zod.ts';
