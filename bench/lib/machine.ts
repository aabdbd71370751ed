/** The machine the numbers were measured on. */
import { cpus, freemem, loadavg, type as osType, release, totalmem } from 'node:os';

export interface Machine {
  readonly os: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGB: number;
  readonly freeMemoryGBAtStart: number;
  readonly loadAverageAtStart: readonly number[];
  readonly node: string;
  readonly date: string;
  readonly note: string;
}

export function machine(): Machine {
  const c = cpus();
  return {
    os: `${osType()} ${release()}`,
    arch: process.arch,
    cpuModel: c[0]?.model?.trim() ?? 'unknown',
    cores: c.length,
    memoryGB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGBAtStart: Math.round((freemem() / 2 ** 30) * 10) / 10,
    loadAverageAtStart: loadavg().map((v) => Math.round(v * 100) / 100),
    node: process.version,
    date: new Date().toISOString(),
    note:
      'The local runtime runs every handler, DynamoDB Local (Java), s3rver, fauxqs and the load generator on ' +
      'this one machine: absolute numbers are this machine’s, not Lambda’s; ratios and counts carry over.',
  };
}
