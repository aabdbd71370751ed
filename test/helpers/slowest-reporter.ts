/**
 * Lists the ten slowest tests and the ten slowest files (set-up included) after every run, so
 * that the suite's time stays visible (issue 10: the suite is a budget, not an afterthought).
 */
import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

const TOP = 10;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1).padStart(6)} s`;

export default class SlowestReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const tests: { name: string; ms: number }[] = [];
    const files: { name: string; ms: number }[] = [];
    for (const m of modules) {
      const file = relative(process.cwd(), m.moduleId);
      files.push({ name: file, ms: m.diagnostic().duration });
      for (const t of m.children.allTests()) {
        const d = t.diagnostic();
        if (d) tests.push({ name: `${file} > ${t.fullName}`, ms: d.duration });
      }
    }
    if (tests.length === 0) return;
    const top = (rows: { name: string; ms: number }[]) =>
      rows
        .sort((a, b) => b.ms - a.ms)
        .slice(0, TOP)
        .map((r) => `  ${seconds(r.ms)}  ${r.name}`)
        .join('\n');
    process.stdout.write(`\nSlowest tests:\n${top(tests)}\nSlowest files (set-up included):\n${top(files)}\n`);
  }
}
