import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freePort } from '#local/servers.ts';

const run = promisify(execFile);

/** Asks `n` ports of freePort in a process of its own, none of them bound, and returns them. */
async function portsOfAnotherProcess(n: number): Promise<number[]> {
  const code = `import('#local/servers.ts').then(async ({ freePort }) => {
    const ports = [];
    for (let i = 0; i < ${n}; i++) ports.push(await freePort());
    process.stdout.write(JSON.stringify(ports));
  });`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: process.cwd(),
  });
  return JSON.parse(stdout) as number[];
}

describe('Local servers: free ports', () => {
  it('never hands one port to two processes while their servers are still starting', async () => {
    // Unreserved, 3 × 150 ports drawn from 12,000 overlap ~5 times on average.
    const [a, b, c] = await Promise.all([
      portsOfAnotherProcess(150),
      portsOfAnotherProcess(150),
      portsOfAnotherProcess(150),
    ]);
    const all = [...a, ...b, ...c];
    expect(all).toHaveLength(450);
    expect(new Set(all).size).toBe(450);
  });

  it('never hands one port out twice in a process, though none was bound', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 300; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(300);
    for (const p of ports) expect(p).toBeGreaterThanOrEqual(20_000);
  });
});
