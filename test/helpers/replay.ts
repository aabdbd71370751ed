import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs the replay tool as a user would (it starts its own runtime) and reads its last line. */
export async function replay(scenarioFile: string): Promise<Record<string, number>> {
  const { stdout } = await run('npx', ['tsx', 'tools/replay.ts', '--scenario', scenarioFile, '--quiet'], {
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as Record<string, number>;
}
