/**
 * cdk-nag 3 acknowledgements: one finding at a time, on the narrowest construct, with a reason.
 * cdk-nag 3 reads CDK's own `Validations.of(x).acknowledge()` metadata (there is no NagSuppressions).
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** A rule id of the AwsSolutions pack, e.g. `AwsSolutions-APIG4`. */
type AwsSolutionsRule = `AwsSolutions-${string}`;

/**
 * Acknowledges one AwsSolutions finding on `scope` (and only its descendants).
 * For rules that report several findings per resource (IAM4, IAM5) pass the finding as `appliesTo`
 * (`Resource::*`, `Action::s3:*`, `Policy::arn:...`): the acknowledgement then covers that finding only.
 */
export function acknowledge(scope: IConstruct, rule: AwsSolutionsRule, reason: string, appliesTo?: string): void {
  if (reason.trim().length < 20) throw new Error(`a nag acknowledgement needs a specific reason (${rule})`);
  const id = appliesTo === undefined ? rule : `${rule}[${appliesTo}]`;
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Renders a value the way cdk-nag names an IAM finding (`Ref` -> `<Name>`, `Fn::GetAtt` ->
 * `<Id.Attr>`, `Fn::Join` joined), so an IAM5 acknowledgement can name the exact resource.
 * Only for values of `scope`'s own stack: cross-stack references become imports at synthesis.
 */
export function nagResourceName(scope: IConstruct, value: string): string {
  const visit = (node: unknown): string => {
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return JSON.stringify(node);
    const fn = node as Readonly<Record<string, unknown>>;
    const join = fn['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      return join[1].map(visit).join(join[0]);
    }
    const getAtt = fn['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${getAtt.map(visit).join('.')}>`;
    if (fn.Ref !== undefined) return `<${visit(fn.Ref)}>`;
    return JSON.stringify(node);
  };
  return visit(Stack.of(scope).resolve(value));
}
