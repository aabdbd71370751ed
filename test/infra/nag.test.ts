/**
 * cdk-nag's AwsSolutions pack finds nothing unacknowledged, and every acknowledgement is narrow:
 * on one resource (never a stack), for one finding, with a reason.
 *
 * cdk-nag 3 is a CDK validation plugin, not an Aspect: its findings are not construct annotations
 * (so `Annotations.fromStack(...).findError/findWarning` would always be empty). The pack is run
 * here with `validateScope` on the synthesized app (as the CLI does after synthesis, so cross-stack
 * references are already imports), and its violations, errors and warnings alike, must be none.
 */
import { App, type PolicyViolation, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildApp } from '#infra/app.ts';
import { functions } from '#wiring/manifest.ts';
import { ALL_TRIGGERS, NO_BUNDLING } from './helpers.ts';

const CASES = [
  { label: 'wiring/manifest.ts', all: functions },
  { label: 'the every-trigger fixture', all: ALL_TRIGGERS },
] as const;

/** One line per violating resource: `AwsSolutions-IAM5[Resource::*] (error) at MotcuaApi/X/Resource`. */
const describeViolations = (violations: readonly PolicyViolation[]): string[] =>
  violations.flatMap((v) =>
    v.violatingResources.map(
      (r) => `${v.ruleName} (${v.severity ?? '?'}) at ${r.constructPath ?? r.resourceLogicalId}`,
    ),
  );

interface Acknowledgement {
  readonly path: string;
  readonly scope: IConstruct;
  readonly id: string;
  readonly reason: string;
}

function acknowledgements(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((scope) =>
    scope.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: scope.node.path,
          scope,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe.each(CASES)('Pack: AwsSolutions on the app built from $label', ({ all }) => {
  it('reports no unacknowledged error or warning', () => {
    // Prepare
    const { app } = buildApp({ functions: all, nag: false, context: NO_BUNDLING });
    app.synth();
    // Act
    const report = new AwsSolutionsChecks().validateScope(app);
    // Assess
    expect(describeViolations(report.violations)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('lets the app synthesize with the pack registered as a validation plugin', () => {
    const { app } = buildApp({ functions: all, nag: true, context: NO_BUNDLING });
    expect(() => app.synth()).not.toThrow();
  });

  it('acknowledges one AwsSolutions finding at a time, on a resource and never on a stack, with a reason', () => {
    const { app } = buildApp({ functions: all, nag: false, context: NO_BUNDLING });
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) {
      expect(a.id, a.path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(a.scope instanceof Stack || a.scope instanceof App, a.path).toBe(false);
      expect(a.reason.length, `${a.id} at ${a.path}`).toBeGreaterThanOrEqual(60);
      // Rules that report several findings per resource are acknowledged per finding.
      if (/^AwsSolutions-IAM[45]/.test(a.id)) expect(a.id, a.path).toMatch(/\[(Resource|Action|Policy)::.+\]$/);
    }
  });
});
