/**
 * Least privilege, measured: every action a function's role is granted is one its code can call
 * (test/infra/code-access.ts scans the handler and everything it imports), or one its trigger
 * needs (Lambda reads the stream or queue with the function's role). The public lookup has no
 * Scan, BatchWriteItem or DeleteItem; the relay writes nothing to the table.
 */
import { describe, expect, it } from 'vitest';
import { cloudFunctions, type FunctionSpec } from '#wiring/manifest.ts';
import { excessGrants, grantedActions } from './code-access.ts';
import { synth } from './helpers.ts';

describe('Least privilege: grants against the code', () => {
  const cloud = cloudFunctions();
  const built = synth();

  it.each(cloud.map((f) => [f.name, f] as const))('%s is granted nothing its code does not call', (_n, spec) => {
    expect(excessGrants(built, spec)).toEqual([]);
  });

  it('grants the public lookup no Scan, BatchWriteItem or DeleteItem', () => {
    const granted = grantedActions(built, 'lookup');
    for (const a of ['dynamodb:Scan', 'dynamodb:BatchWriteItem', 'dynamodb:DeleteItem'])
      expect(granted.has(a), a).toBe(false);
  });

  it('grants the relay no table access but the stream', () => {
    const relay = cloud.find((f) => f.access.eventBus);
    if (!relay) throw new Error('no relay');
    const table = [...grantedActions(built, relay.name)].filter((a) => a.startsWith('dynamodb:')).sort();
    expect(table).toEqual([
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
    ]);
  });

  it('fails when a grant exceeds the code: a lookup entry that asks for Scan and BatchWriteItem is caught', () => {
    const lookup = cloud.find((f) => f.name === 'lookup');
    if (!lookup) throw new Error('no lookup');
    const greedy: FunctionSpec = { ...lookup, access: { ...lookup.access, tableActions: ['Scan', 'BatchWriteItem'] } };
    const greedyBuilt = synth({ functions: cloud.map((f) => (f.name === 'lookup' ? greedy : f)) });
    expect(excessGrants(greedyBuilt, greedy)).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:Scan']);
  });
});
