import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventPatternError, matches, validatePattern } from '#local/event-pattern.ts';

/*
 * Sources of the examples below:
 * [OPS]   EventBridge user guide, "Comparison operators for use in event patterns"
 *         https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 * [CF]    EventBridge user guide, "Content filtering in Amazon EventBridge event patterns"
 *         https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 * [ARR]   EventBridge user guide, "Arrays in Amazon EventBridge event patterns"
 *         https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
 * [NULL]  EventBridge user guide, "Matching null values and empty strings"
 *         https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
 * [RULER] AWS's reference implementation, https://github.com/aws/event-ruler (README and tests)
 * [SNS]   SNS filter policies share the grammar: https://docs.aws.amazon.com/sns/latest/dg/numeric-value-matching.html
 */

type Json = Record<string, unknown>;

/** A full EventBridge envelope around `detail`, as in the [RULER] README's sample event. */
const envelope = (detail: Json, overrides: Json = {}): Json => ({
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail,
  ...overrides,
});

/** The [RULER]/[CF] sample detail. */
const ec2 = envelope({
  'c-count': 5,
  'd-count': 3,
  'x-limit': 301.8,
  'source-ip': '10.0.0.33',
  'instance-id': 'i-000000aaaaaa00000',
  state: 'running',
});

describe('exact values', () => {
  it('matches the [RULER] "simple matching" rule and ignores fields it does not name', () => {
    const pattern = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
      detail: { state: ['initializing', 'running'] },
    };
    expect(matches(pattern, ec2)).toBe(true);
    expect(matches({ ...pattern, detail: { state: ['initializing', 'stopped'] } }, ec2)).toBe(false);
  });

  it('ORs the values of a field and ANDs the fields [OPS "Or", "And"]', () => {
    const pattern = { detail: { PaymentType: ['Credit', 'Debit'], Day: ['Monday'] } };
    expect(matches(pattern, envelope({ PaymentType: 'Debit', Day: 'Monday' }))).toBe(true);
    expect(matches(pattern, envelope({ PaymentType: 'Cash', Day: 'Monday' }))).toBe(false);
    expect(matches(pattern, envelope({ PaymentType: 'Debit', Day: 'Sunday' }))).toBe(false);
  });

  it('is case sensitive and needs the field to be present', () => {
    expect(matches({ detail: { Name: ['Alice'] } }, envelope({ Name: 'Alice' }))).toBe(true);
    expect(matches({ detail: { Name: ['Alice'] } }, envelope({ Name: 'alice' }))).toBe(false);
    expect(matches({ detail: { Name: ['Alice'] } }, envelope({}))).toBe(false);
    expect(matches({ source: ['aws.ec2'] }, envelope({}, { source: undefined }))).toBe(false);
  });

  it('matches null and the empty string, which are not interchangeable [NULL]', () => {
    const event = envelope({ eventVersion: '', responseElements: null });
    expect(matches({ detail: { eventVersion: [''] } }, event)).toBe(true);
    expect(matches({ detail: { responseElements: [null] } }, event)).toBe(true);
    expect(matches({ detail: { eventVersion: [null] } }, event)).toBe(false);
    expect(matches({ detail: { responseElements: [''] } }, event)).toBe(false);
    expect(matches({ detail: { missing: [null] } }, event)).toBe(false);
  });

  it('compares numbers by value, and never a number with a string', () => {
    expect(matches({ detail: { Price: [100] } }, envelope({ Price: 100 }))).toBe(true);
    expect(matches({ detail: { n: [3.0e2] } }, envelope({ n: 300 }))).toBe(true);
    expect(matches({ detail: { n: [300] } }, envelope({ n: 300.0 }))).toBe(true);
    expect(matches({ detail: { n: [300] } }, envelope({ n: 301 }))).toBe(false);
    expect(matches({ detail: { n: [300] } }, envelope({ n: '300' }))).toBe(false);
    expect(matches({ detail: { n: ['300'] } }, envelope({ n: 300 }))).toBe(false);
  });

  it('matches booleans only against booleans', () => {
    expect(matches({ detail: { ok: [false] } }, envelope({ ok: false }))).toBe(true);
    expect(matches({ detail: { ok: [false] } }, envelope({ ok: 'false' }))).toBe(false);
    expect(matches({ detail: { ok: ['true'] } }, envelope({ ok: true }))).toBe(false);
  });

  it('follows nested detail objects and does not match a leaf against an object', () => {
    const event = envelope({ requestParameters: { bucket: { name: 'scans', region: 'ap-southeast-1' } } });
    expect(matches({ detail: { requestParameters: { bucket: { name: ['scans'] } } } }, event)).toBe(true);
    expect(matches({ detail: { requestParameters: { bucket: { name: ['other'] } } } }, event)).toBe(false);
    expect(matches({ detail: { requestParameters: { bucket: ['scans'] } } }, event)).toBe(false);
    expect(matches({ detail: { requestParameters: { missing: { name: ['scans'] } } } }, event)).toBe(false);
    expect(matches({ detail: { state: { nested: ['x'] } } }, ec2)).toBe(false);
  });

  it('matches an IP-address value as an address, as ruler compiles it into a range [RULER CIDR.java]', () => {
    expect(matches({ detail: { ip: ['2001:db8::1'] } }, envelope({ ip: '2001:0DB8:0:0:0:0:0:1' }))).toBe(true);
    expect(matches({ detail: { ip: ['2001:db8::1'] } }, envelope({ ip: '2001:db8::2' }))).toBe(false);
  });
});

describe('arrays in events', () => {
  it('matches when the pattern and the event array intersect [ARR]', () => {
    const pattern = {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    };
    const event = envelope(
      {},
      {
        resources: [
          'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
          'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        ],
      },
    );
    expect(matches(pattern, event)).toBe(true);
    expect(matches(pattern, envelope({}, { resources: ['arn:aws:s3:::bucket'] }))).toBe(false);
    expect(matches(pattern, envelope({}, { resources: [] }))).toBe(false);
  });

  it('applies operators to each element', () => {
    const event = envelope({ tags: ['env:prod', 'team:a'], sizes: [1, 50] });
    expect(matches({ detail: { tags: [{ prefix: 'team:' }] } }, event)).toBe(true);
    expect(matches({ detail: { tags: [{ prefix: 'owner:' }] } }, event)).toBe(false);
    expect(matches({ detail: { sizes: [{ numeric: ['>', 10] }] } }, event)).toBe(true);
    expect(matches({ detail: { sizes: [{ numeric: ['>', 100] }] } }, event)).toBe(false);
  });

  it('crushes arrays of objects and nested arrays [RULER "JSON Array Matching"]', () => {
    const employees = [
      { firstName: 'John', lastName: 'Doe' },
      { firstName: 'Anna', lastName: 'Smith' },
      { firstName: 'Peter', lastName: 'Jones' },
    ];
    expect(matches({ detail: { employees: { firstName: ['Anna'] } } }, envelope({ employees }))).toBe(true);
    const nested = [employees.slice(0, 2), employees.slice(2)];
    expect(matches({ detail: { employees: { firstName: ['Peter'] } } }, envelope({ employees: nested }))).toBe(true);
    expect(matches({ detail: { values: ['x'] } }, envelope({ values: [['a'], ['b', ['x']]] }))).toBe(true);
  });

  it('keeps the fields of one array element together (rulesForJSONEvent) [RULER]', () => {
    const employees = [
      { firstName: 'Anna', lastName: 'Smith' },
      { firstName: 'Peter', lastName: 'Jones' },
    ];
    const event = envelope({ employees });
    expect(matches({ detail: { employees: { firstName: ['Anna'], lastName: ['Jones'] } } }, event)).toBe(false);
    expect(matches({ detail: { employees: { firstName: ['Anna'], lastName: ['Smith'] } } }, event)).toBe(true);
  });
});

describe('prefix', () => {
  it('matches the start of a string [CF]', () => {
    const pattern = { time: [{ prefix: '2017-10-02' }] };
    expect(matches(pattern, envelope({}, { time: '2017-10-02T18:43:48Z' }))).toBe(true);
    expect(matches(pattern, envelope({}, { time: '2017-10-03T18:43:48Z' }))).toBe(false);
  });

  it('matches a region "in the US" [OPS "Begins with"]', () => {
    const pattern = { detail: { Region: [{ prefix: 'us-' }] } };
    expect(matches(pattern, envelope({ Region: 'us-east-1' }))).toBe(true);
    expect(matches(pattern, envelope({ Region: 'eu-west-1' }))).toBe(false);
    expect(matches(pattern, envelope({ Region: 'US-EAST-1' }))).toBe(false);
  });

  it('ignores case with equals-ignore-case [OPS "Begins with (ignore case)"]', () => {
    const pattern = { detail: { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] } };
    expect(matches(pattern, envelope({ service: 'EventBridge' }))).toBe(true);
    expect(matches(pattern, envelope({ service: 'EVENTBRIDGE' }))).toBe(true);
    expect(matches(pattern, envelope({ service: 'SQS' }))).toBe(false);
  });

  it('only works on strings', () => {
    expect(matches({ detail: { n: [{ prefix: '12' }] } }, envelope({ n: 123 }))).toBe(false);
    expect(matches({ detail: { n: [{ prefix: '' }] } }, envelope({ n: null }))).toBe(false);
    expect(matches({ detail: { n: [{ prefix: '' }] } }, envelope({ n: 'anything' }))).toBe(true);
  });
});

describe('suffix', () => {
  it('matches file names ending with .png [OPS "Ends with"]', () => {
    const pattern = { detail: { FileName: [{ suffix: '.png' }] } };
    expect(matches(pattern, envelope({ FileName: 'image.png' }))).toBe(true);
    expect(matches(pattern, envelope({ FileName: 'image.jpg' }))).toBe(false);
    expect(matches(pattern, envelope({ FileName: 'image.PNG' }))).toBe(false);
  });

  it('ignores case with equals-ignore-case [OPS "Ends with (ignore case)"]', () => {
    const pattern = { detail: { service: [{ suffix: { 'equals-ignore-case': 'tbridge' } }] } };
    expect(matches(pattern, envelope({ service: 'EventBridge' }))).toBe(true);
    expect(matches(pattern, envelope({ service: 'EVENTBRIDGE' }))).toBe(true);
    expect(matches(pattern, envelope({ service: 'EventBus' }))).toBe(false);
  });

  it('only works on strings', () => {
    expect(matches({ detail: { n: [{ suffix: '5' }] } }, envelope({ n: 5 }))).toBe(false);
  });
});

describe('equals-ignore-case', () => {
  it('matches a name regardless of case [OPS "Equals (ignore case)"]', () => {
    const pattern = { detail: { Name: [{ 'equals-ignore-case': 'alice' }] } };
    expect(matches(pattern, envelope({ Name: 'ALICE' }))).toBe(true);
    expect(matches(pattern, envelope({ Name: 'Alice' }))).toBe(true);
    expect(matches(pattern, envelope({ Name: 'Alicia' }))).toBe(false);
  });

  it('matches the source "EC2" [RULER]', () => {
    expect(matches({ source: [{ 'equals-ignore-case': 'AWS.EC2' }] }, ec2)).toBe(true);
    expect(matches({ source: [{ 'equals-ignore-case': 'EC2' }] }, ec2)).toBe(false);
  });
});

describe('wildcard', () => {
  it('matches png files in the folder "dir" [OPS "Wildcard"]', () => {
    const pattern = { detail: { FileName: [{ wildcard: 'dir/*.png' }] } };
    expect(matches(pattern, envelope({ FileName: 'dir/image.png' }))).toBe(true);
    expect(matches(pattern, envelope({ FileName: 'dir/sub/image.png' }))).toBe(true);
    expect(matches(pattern, envelope({ FileName: 'dir/.png' }))).toBe(true);
    expect(matches(pattern, envelope({ FileName: 'other/image.png' }))).toBe(false);
    expect(matches(pattern, envelope({ FileName: 'dir/image.jpg' }))).toBe(false);
  });

  it('matches "Simple*Service" [RULER]', () => {
    const pattern = { source: [{ wildcard: 'Simple*Service' }] };
    expect(matches(pattern, envelope({}, { source: 'SimpleQueueService' }))).toBe(true);
    expect(matches(pattern, envelope({}, { source: 'SimpleService' }))).toBe(true);
    expect(matches(pattern, envelope({}, { source: 'SimpleQueueServices' }))).toBe(false);
  });

  it('supports several wildcards and does not let segments overlap', () => {
    const pattern = { detail: { arn: [{ wildcard: 'arn:aws:events:*:*:event-bus/*' }] } };
    expect(matches(pattern, envelope({ arn: 'arn:aws:events:us-east-1:123:event-bus/default' }))).toBe(true);
    expect(matches(pattern, envelope({ arn: 'arn:aws:sqs:us-east-1:123:queue' }))).toBe(false);
    expect(matches({ detail: { s: [{ wildcard: 'ab*ba' }] } }, envelope({ s: 'aba' }))).toBe(false);
    expect(matches({ detail: { s: [{ wildcard: 'ab*ba' }] } }, envelope({ s: 'abba' }))).toBe(true);
  });

  it('escapes * and \\ with a backslash [RULER]', () => {
    const star = { detail: { s: [{ wildcard: 'a\\*b' }] } };
    expect(matches(star, envelope({ s: 'a*b' }))).toBe(true);
    expect(matches(star, envelope({ s: 'axb' }))).toBe(false);
    expect(matches({ detail: { s: [{ wildcard: 'a\\\\*' }] } }, envelope({ s: 'a\\bc' }))).toBe(true);
  });

  it('only works on strings', () => {
    expect(matches({ detail: { n: [{ wildcard: '*' }] } }, envelope({ n: 1 }))).toBe(false);
    expect(matches({ detail: { n: [{ wildcard: '*' }] } }, envelope({ n: '' }))).toBe(true);
  });
});

describe('anything-but', () => {
  it('excludes a single string or number [CF]', () => {
    expect(matches({ detail: { state: [{ 'anything-but': 'initializing' }] } }, ec2)).toBe(true);
    expect(matches({ detail: { state: [{ 'anything-but': 'running' }] } }, ec2)).toBe(false);
    expect(matches({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, ec2)).toBe(true);
    expect(matches({ detail: { 'x-limit': [{ 'anything-but': 301.8 }] } }, ec2)).toBe(false);
  });

  it('excludes a list of strings [CF] and of numbers [CF]', () => {
    const states = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
    expect(matches(states, envelope({ state: 'running' }))).toBe(true);
    expect(matches(states, envelope({ state: 'stopped' }))).toBe(false);
    const limits = { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } };
    expect(matches(limits, envelope({ 'x-limit': 301.8 }))).toBe(true);
    expect(matches(limits, envelope({ 'x-limit': 3.0e2 }))).toBe(false);
  });

  it('excludes a prefix [CF, OPS "Anything-but (begins with)"]', () => {
    const pattern = { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } };
    expect(matches(pattern, envelope({ state: 'running' }))).toBe(true);
    expect(matches(pattern, envelope({ state: 'initializing' }))).toBe(false);
    const region = { detail: { Region: [{ 'anything-but': { prefix: 'us-' } }] } };
    expect(matches(region, envelope({ Region: 'ap-southeast-1' }))).toBe(true);
    expect(matches(region, envelope({ Region: 'us-west-2' }))).toBe(false);
    const list = { detail: { state: [{ 'anything-but': { prefix: ['init', 'error'] } }] } };
    expect(matches(list, envelope({ state: 'error-42' }))).toBe(false);
    expect(matches(list, envelope({ state: 'ok' }))).toBe(true);
  });

  it('excludes a suffix [OPS "Anything-but (ends with)"]', () => {
    const pattern = { detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } };
    expect(matches(pattern, envelope({ FileName: 'doc.pdf' }))).toBe(true);
    expect(matches(pattern, envelope({ FileName: 'scan.png' }))).toBe(false);
  });

  it('excludes regardless of case [OPS "Anything-but (ignore case)"]', () => {
    const pattern = { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } };
    expect(matches(pattern, envelope({ state: 'INITIALIZING' }))).toBe(false);
    expect(matches(pattern, envelope({ state: 'running' }))).toBe(true);
    const list = { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] } };
    expect(matches(list, envelope({ state: 'overloaded' }))).toBe(false);
  });

  it('excludes a wildcard [OPS "Anything-but using a wildcard"]', () => {
    const pattern = { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } };
    expect(matches(pattern, envelope({ FilePath: '/usr/lib/x.so' }))).toBe(false);
    expect(matches(pattern, envelope({ FilePath: '/usr/bin/x' }))).toBe(true);
  });

  it('matches an array holding any other value [SNS "[100, 50]"]', () => {
    const pattern = { detail: { price: [{ 'anything-but': [100, 500] }] } };
    expect(matches(pattern, envelope({ price: [100, 50] }))).toBe(true);
    expect(matches(pattern, envelope({ price: [100, 500] }))).toBe(false);
    expect(matches(pattern, envelope({ price: 100 }))).toBe(false);
    expect(matches(pattern, envelope({ price: 100.1 }))).toBe(true);
  });

  it('needs the field, and only rejects values of its own type [RULER ByteMachine]', () => {
    const notRaining = { detail: { Weather: [{ 'anything-but': ['Raining'] }] } };
    expect(matches(notRaining, envelope({}))).toBe(false);
    expect(matches(notRaining, envelope({ Weather: [] }))).toBe(false);
    expect(matches(notRaining, envelope({ Weather: null }))).toBe(true);
    expect(matches(notRaining, envelope({ Weather: 42 }))).toBe(true);
    expect(matches({ detail: { n: [{ 'anything-but': [100] }] } }, envelope({ n: '100' }))).toBe(true);
  });
});

describe('numeric', () => {
  it('matches the [CF] example with all three fields', () => {
    const pattern = {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    };
    expect(matches(pattern, ec2)).toBe(true);
    expect(matches(pattern, envelope({ 'c-count': 6, 'd-count': 3, 'x-limit': 301.8 }))).toBe(false);
    expect(matches(pattern, envelope({ 'c-count': 5, 'd-count': 3, 'x-limit': 301.9 }))).toBe(false);
  });

  it('honours open and closed bounds [OPS "Numeric (range)"]', () => {
    const price = { detail: { Price: [{ numeric: ['>', 10, '<=', 20] }] } };
    const at = (Price: unknown) => matches(price, envelope({ Price }));
    expect(at(10)).toBe(false);
    expect(at(10.000001)).toBe(true);
    expect(at(20)).toBe(true);
    expect(at(20.5)).toBe(false);
    const closed = { detail: { n: [{ numeric: ['>=', 0, '<', 5] }] } };
    expect(matches(closed, envelope({ n: 0 }))).toBe(true);
    expect(matches(closed, envelope({ n: 5 }))).toBe(false);
    expect(matches(closed, envelope({ n: -0.5 }))).toBe(false);
    expect(matches({ detail: { n: [{ numeric: ['>=', 5] }] } }, envelope({ n: 5 }))).toBe(true);
    expect(matches({ detail: { n: [{ numeric: ['<=', 5] }] } }, envelope({ n: 5.0001 }))).toBe(false);
  });

  it('matches equality numerically [OPS "Numeric (equals)"]', () => {
    const pattern = { detail: { Price: [{ numeric: ['=', 100] }] } };
    expect(matches(pattern, envelope({ Price: 1.0e2 }))).toBe(true);
    expect(matches(pattern, envelope({ Price: 100.5 }))).toBe(false);
  });

  it('only works on JSON numbers', () => {
    const pattern = { detail: { n: [{ numeric: ['>', 0] }] } };
    expect(matches(pattern, envelope({ n: '5' }))).toBe(false);
    expect(matches(pattern, envelope({ n: true }))).toBe(false);
    expect(matches(pattern, envelope({ n: null }))).toBe(false);
    expect(matches(pattern, envelope({}))).toBe(false);
  });
});

describe('cidr', () => {
  it('matches an address in 10.0.0.0/24 [CF "IP address matching"]', () => {
    const pattern = { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } };
    expect(matches(pattern, envelope({ sourceIPAddress: '10.0.0.0' }))).toBe(true);
    expect(matches(pattern, envelope({ sourceIPAddress: '10.0.0.255' }))).toBe(true);
    expect(matches(pattern, envelope({ sourceIPAddress: '10.0.1.0' }))).toBe(false);
    expect(matches(pattern, envelope({ sourceIPAddress: 'not-an-ip' }))).toBe(false);
    expect(matches({ detail: { 'source-ip': [{ cidr: '10.0.0.0/8' }] } }, ec2)).toBe(true);
  });

  it('works with IPv6 and keeps the families apart', () => {
    const pattern = { detail: { ip: [{ cidr: '2001:db8::/32' }] } };
    expect(matches(pattern, envelope({ ip: '2001:db8:ffff::1' }))).toBe(true);
    expect(matches(pattern, envelope({ ip: '2001:db9::1' }))).toBe(false);
    expect(matches(pattern, envelope({ ip: '32.1.13.184' }))).toBe(false);
  });
});

describe('exists', () => {
  it('matches a present field, including null [OPS "Exists"]', () => {
    const pattern = { detail: { ProductName: [{ exists: true }] } };
    expect(matches(pattern, envelope({ ProductName: 'Widget' }))).toBe(true);
    expect(matches(pattern, envelope({ ProductName: '' }))).toBe(true);
    expect(matches(pattern, envelope({ ProductName: null }))).toBe(true);
    expect(matches(pattern, envelope({ ProductName: ['a'] }))).toBe(true);
    expect(matches(pattern, envelope({}))).toBe(false);
  });

  it('matches a missing field with exists: false [OPS "Does not exist"]', () => {
    const pattern = { detail: { ProductName: [{ exists: false }] } };
    expect(matches(pattern, envelope({}))).toBe(true);
    expect(matches(pattern, envelope({ ProductName: 'Widget' }))).toBe(false);
    expect(matches(pattern, envelope({ ProductName: null }))).toBe(false);
  });

  it('only looks at leaves: an object is not a present leaf [CF "Exists matching"]', () => {
    const absent = { detail: { 'c-count': [{ exists: false }] } };
    expect(matches(absent, envelope({ state: ['initializing', 'running'] }))).toBe(true);
    expect(matches(absent, envelope({ state: ['initializing', 'running'], 'c-count': { c1: 100 } }))).toBe(true);
    expect(matches({ detail: { 'c-count': [{ exists: true }] } }, envelope({ 'c-count': { c1: 100 } }))).toBe(false);
  });

  it('treats an empty array as absent and a non-empty one as present [RULER Event flattening]', () => {
    expect(matches({ resources: [{ exists: false }] }, envelope({}, { resources: [] }))).toBe(true);
    expect(matches({ resources: [{ exists: true }] }, envelope({}, { resources: [] }))).toBe(false);
    expect(matches({ resources: [{ exists: true }] }, ec2)).toBe(true);
    expect(matches({ resources: [{ exists: false }] }, ec2)).toBe(false);
  });

  it('is absent when an intermediate object is missing or not an object', () => {
    expect(matches({ detail: { a: { b: [{ exists: false }] } } }, envelope({}))).toBe(true);
    expect(matches({ detail: { a: { b: [{ exists: false }] } } }, envelope({ a: 'scalar' }))).toBe(true);
    expect(matches({ detail: { a: { b: [{ exists: true }] } } }, envelope({ a: 'scalar' }))).toBe(false);
  });

  it('checks absence in the array element the other conditions matched [RULER ACMachineTest]', () => {
    const pattern = { detail: { tasks: { state: ['ACTIVE'], error: [{ exists: false }] } } };
    const tasks = [{ state: 'ACTIVE' }, { state: 'FAILED', error: 'boom' }];
    expect(matches(pattern, envelope({ tasks }))).toBe(true);
    expect(matches(pattern, envelope({ tasks: [{ state: 'ACTIVE', error: 'x' }, { state: 'FAILED' }] }))).toBe(false);
  });

  it('needs the field absent from every element when nothing else picks one', () => {
    const pattern = { detail: { tasks: { error: [{ exists: false }] } } };
    expect(matches(pattern, envelope({ tasks: [{ state: 'A' }, { state: 'B' }] }))).toBe(true);
    expect(matches(pattern, envelope({ tasks: [{ state: 'A' }, { error: 'boom' }] }))).toBe(false);
    expect(matches(pattern, envelope({ tasks: [] }))).toBe(true);
  });

  it('can be an alternative to values', () => {
    const pattern = { detail: { flag: [false, { exists: false }] } };
    expect(matches(pattern, envelope({}))).toBe(true);
    expect(matches(pattern, envelope({ flag: false }))).toBe(true);
    expect(matches(pattern, envelope({ flag: true }))).toBe(false);
  });
});

describe('$or', () => {
  it('matches "New York" or "Monday" [OPS "Or (multiple fields)"]', () => {
    const pattern = { detail: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] } };
    expect(matches(pattern, envelope({ Location: 'New York', Day: 'Friday' }))).toBe(true);
    expect(matches(pattern, envelope({ Location: 'Hanoi', Day: 'Monday' }))).toBe(true);
    expect(matches(pattern, envelope({ Location: 'Hanoi', Day: 'Friday' }))).toBe(false);
  });

  it('combines with AND at the top and across levels [RULER "Parallel Or"]', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [{ 'detail-type': ['Metric'] }, { region: ['us-east-1'] }],
      detail: { $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] },
    };
    const event = envelope({ namespace: 'AWS/ES' }, { source: 'aws.cloudwatch' });
    expect(matches(pattern, event)).toBe(true);
    expect(matches(pattern, { ...event, source: 'aws.ec2' })).toBe(false);
    expect(matches(pattern, { ...event, region: 'eu-west-1' })).toBe(false);
    expect(matches(pattern, { ...event, detail: { namespace: 'AWS/S3' } })).toBe(false);
  });

  it('nests OR inside AND inside OR [RULER "Nested Or and And"]', () => {
    const pattern = {
      detail: {
        source: ['aws.cloudwatch'],
        $or: [
          { metricName: ['CPUUtilization', 'ReadLatency'] },
          {
            metricType: ['MetricType'],
            namespace: ['AWS/EC2', 'AWS/ES'],
            $or: [{ metricId: [1234] }, { spaceId: [1000] }],
          },
          { scope: ['Service'] },
        ],
      },
    };
    const base = { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2' };
    expect(matches(pattern, envelope({ ...base, spaceId: 1000 }))).toBe(true);
    expect(matches(pattern, envelope({ ...base, spaceId: 1001 }))).toBe(false);
    expect(matches(pattern, envelope({ source: 'aws.cloudwatch', scope: 'Service' }))).toBe(true);
    expect(matches(pattern, envelope({ source: 'aws.ec2', scope: 'Service' }))).toBe(false);
  });
});

describe('complex example', () => {
  it('matches the [CF] "Complex example with multiple matching"', () => {
    const pattern = {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
        'source-ip': [{ cidr: '10.0.0.0/8' }],
      },
    };
    expect(matches(pattern, ec2)).toBe(true);
    expect(matches(pattern, { ...ec2, time: '2017-10-03T00:00:00Z' })).toBe(false);
    expect(matches(pattern, envelope({ ...(ec2.detail as Json), state: 'initializing' }))).toBe(false);
  });
});

describe('validatePattern', () => {
  const valid: Json[] = [
    { source: ['a'] },
    { detail: { n: [{ numeric: ['>=', 0, '<', 1] }, { numeric: ['=', 5] }] } },
    { detail: { s: [{ 'anything-but': { wildcard: ['*.png', 'a\\*b'] } }] } },
    { detail: { prefix: ['a field may be called prefix outside $or'] } },
    { $or: [{ source: ['a'] }, { detail: { $or: [{ a: [1] }, { b: [null] }] } }] },
    { detail: { ip: [{ cidr: '2001:db8::/127' }] } },
  ];
  it.each(valid.map((p) => [JSON.stringify(p), p]))('accepts %s', (_, pattern) => {
    expect(validatePattern(pattern)).toEqual([]);
  });

  const invalid: [string, unknown, RegExp][] = [
    ['not an object', ['source'], /must be a JSON object/],
    ['an empty pattern', {}, /empty objects/],
    ['an empty nested object', { detail: {} }, /detail: empty objects/],
    ['a scalar field', { source: 'aws.ec2' }, /source: must be an object or an array/],
    ['an empty value array', { source: [] }, /source: empty arrays/],
    ['a nested value array', { source: [['a']] }, /source\[0\]/],
    ['an unknown operator', { source: [{ contains: 'ec2' }] }, /unknown operator "contains"/],
    ['ruler-only "exactly"', { source: [{ exactly: 'ec2' }] }, /unknown operator "exactly"/],
    ['two operators in one object', { source: [{ prefix: 'a', suffix: 'b' }] }, /only one operator/],
    ['an empty operator object', { source: [{}] }, /empty match expression/],
    ['a non-string prefix', { source: [{ prefix: 1 }] }, /prefix/],
    ['prefix with another option', { source: [{ prefix: { 'ignore-case': 'a' } }] }, /prefix accepts/],
    ['a non-boolean exists', { source: [{ exists: 'yes' }] }, /exists/],
    ['consecutive wildcards', { source: [{ wildcard: 'a**b' }] }, /consecutive wildcard/],
    ['a bad wildcard escape', { source: [{ wildcard: 'a\\b' }] }, /invalid escape/],
    ['a mixed anything-but list', { n: [{ 'anything-but': ['a', 1] }] }, /only strings or only numbers/],
    ['an empty anything-but list', { n: [{ 'anything-but': [] }] }, /only strings or only numbers/],
    ['anything-but null', { n: [{ 'anything-but': null }] }, /anything-but/],
    ['an unknown anything-but operator', { n: [{ 'anything-but': { numeric: ['>', 1] } }] }, /unsupported/],
    ['an empty anything-but prefix', { n: [{ 'anything-but': { prefix: '' } }] }, /must not be empty/],
    ['an unknown numeric operator', { n: [{ numeric: ['!=', 1] }] }, /unrecognized numeric operator/],
    ['a numeric string value', { n: [{ numeric: ['>', '1'] }] }, /must be a number/],
    ['a reversed numeric range', { n: [{ numeric: ['>', 5, '<', 1] }] }, /less than its top/],
    ['an empty numeric range', { n: [{ numeric: ['>=', 5, '<=', 5] }] }, /less than its top/],
    ['an upper bound first', { n: [{ numeric: ['<', 5, '>', 1] }] }, /too many elements/],
    ['= with a range', { n: [{ numeric: ['=', 5, '<', 6] }] }, /too many elements/],
    ['a bad range operator', { n: [{ numeric: ['>', 1, '>', 6] }] }, /bad numeric range operator/],
    ['a malformed cidr', { ip: [{ cidr: '10.0.0.0' }] }, /one "\/" required/],
    ['a bad cidr address', { ip: [{ cidr: '10.0.0.256/8' }] }, /invalid IP address/],
    ['a /32 (ruler allows at most /31)', { ip: [{ cidr: '10.0.0.1/32' }] }, /mask bits must be < 32/],
    ['$or that is not an array', { $or: { a: ['x'] } }, /\$or must be an array/],
    ['$or with one branch', { $or: [{ a: ['x'] }] }, /at least 2/],
    ['$or with a scalar branch', { $or: [{ a: ['x'] }, 'b'] }, /only objects/],
    ['a reserved name in $or', { $or: [{ numeric: [1] }, { a: ['x'] }] }, /reserved word/],
  ];
  it.each(invalid)('rejects %s', (_, pattern, problem) => {
    const problems = validatePattern(pattern);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(problem);
  });

  it('reports every problem with its path', () => {
    const problems = validatePattern({ source: [], detail: { a: [{ foo: 1 }], b: [{ numeric: ['>', 'x'] }] } });
    expect(problems).toEqual([
      'source: empty arrays are not allowed',
      'detail.a[0]: unknown operator "foo"',
      'detail.b[0]: the value of > must be a number',
    ]);
  });

  it('makes matches throw EventPatternError', () => {
    const pattern = { detail: { state: [{ regex: '.*' }] } };
    expect(() => matches(pattern, ec2)).toThrow(EventPatternError);
    expect(() => matches(pattern, ec2)).toThrow(/unknown operator "regex"/);
  });
});

describe('property: a pattern made of the event’s own values', () => {
  type Leaf = { readonly path: readonly string[]; readonly value: unknown };

  const key = fc.stringMatching(/^[a-z][a-z0-9-]{0,7}$/);
  const scalar = fc.oneof(
    fc.string(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
  );
  const { node: detail } = fc.letrec<{ node: Json }>((tie) => ({
    node: fc.dictionary(key, fc.oneof({ maxDepth: 3 }, scalar, scalar, tie('node')), { maxKeys: 5 }),
  }));
  const event = fc.record({
    version: fc.constant('0'),
    id: fc.uuid(),
    'detail-type': fc.string(),
    source: fc.string(),
    account: fc.stringMatching(/^[0-9]{12}$/),
    time: fc
      .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    region: fc.constantFrom('ap-southeast-1', 'us-east-1'),
    resources: fc.array(fc.string(), { maxLength: 3 }),
    detail,
  });

  /** Scalars and non-empty arrays of scalars, with their paths; objects are walked into. */
  const leaves = (value: unknown, path: readonly string[] = []): Leaf[] => {
    if (Array.isArray(value)) {
      return value.length > 0 ? [{ path, value }] : [];
    }
    if (typeof value === 'object' && value !== null) {
      return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
    }
    return [{ path, value }];
  };

  const setAt = (root: Json, path: readonly string[], value: unknown): void => {
    let node = root;
    path.forEach((k, i) => {
      if (i === path.length - 1) {
        node[k] = value;
      } else {
        const next = node[k];
        const child: Json = typeof next === 'object' && next !== null && !Array.isArray(next) ? (next as Json) : {};
        node[k] = child;
        node = child;
      }
    });
  };

  const patternOf = (chosen: readonly Leaf[]): Json => {
    const pattern: Json = {};
    for (const { path, value } of chosen) {
      setAt(pattern, path, Array.isArray(value) ? [...value] : [value]);
    }
    return pattern;
  };

  it('always matches, and stops matching when one chosen value becomes a different string', () => {
    fc.assert(
      fc.property(
        event.chain((e) => fc.tuple(fc.constant(e), fc.subarray(leaves(e), { minLength: 1 }), fc.nat(), fc.string())),
        ([e, chosen, pick, junk]) => {
          const pattern = patternOf(chosen);
          expect(validatePattern(pattern)).toEqual([]);
          expect(matches(pattern, e)).toBe(true);

          const target = chosen[pick % chosen.length];
          if (target === undefined) {
            throw new Error('subarray has minLength 1');
          }
          const original = target.value;
          const taken = (s: string) => (Array.isArray(original) ? original.includes(s) : original === s);
          let replacement = `~${junk}`;
          while (taken(replacement)) {
            replacement += '~';
          }
          const mutated = structuredClone(e) as Json;
          setAt(mutated, target.path, Array.isArray(original) ? [replacement] : replacement);
          expect(matches(pattern, mutated)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
