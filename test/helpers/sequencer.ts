/**
 * vitest's own order (by project, then the slowest or largest files first), with the replay moved
 * to the very front: it takes minutes in a child process of its own, and started first it runs
 * beside the rest of the suite instead of after it. (Without a results cache, on a clean clone,
 * vitest would start it last: it orders projects by name and the replay's file is small.)
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const FIRST = ['test/integration/replay.test.ts'];

export default class ReplayFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (f: TestSpecification) => FIRST.some((p) => f.moduleId.endsWith(p));
    return [...sorted.filter(first), ...sorted.filter((f) => !first(f))];
  }
}
