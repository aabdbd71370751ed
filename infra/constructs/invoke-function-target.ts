/**
 * An EventBridge Scheduler target that invokes one Lambda function. Unlike `LambdaInvoke` of
 * aws-scheduler-targets, whose `grantInvoke` also allows `<function>:*` (every version and alias),
 * the scheduler's role may invoke the function's unqualified ARN only.
 */
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ScheduleTargetBase, type ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';

export class InvokeFunctionTarget extends ScheduleTargetBase {
  constructor(
    private readonly func: IFunction,
    props: ScheduleTargetBaseProps = {},
  ) {
    super(props, func.functionArn);
  }

  protected override addTargetActionToRole(role: IRole): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.func.functionArn] }),
    );
  }
}
