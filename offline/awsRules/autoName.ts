// Pulumi's auto-names, as pulumi-aws v7 configures them, so that name rules see the name AWS would get.
//
// pulumi-aws auto-names every resource whose Terraform schema has an input `name` (provider/autonaming.go:
// separator "-", 7 random hex characters, maximum 255), and overrides a few (provider/resource_overrides.go,
// provider/aliases.go). The bridge never truncates: resource.NewUniqueName refuses a name whose prefix plus
// the random part exceeds the maximum ("name '…-' plus 7 random chars is longer than maximum length N"),
// so the name returned here is never cut, and autoNameViolations reports the refusal.
import { Inputs, Violation } from "./check";

/** The deterministic stand-in for the 7 random hex characters. */
export const randomSuffix = "0a1b2c3";

interface AutoNaming {
    /** The input property Pulumi fills in. */
    readonly property: string;
    /** The bridge's maximum length for the generated name. */
    readonly maxLength: number;
    readonly lowercase?: boolean;
}

const byDefault: AutoNaming = { property: "name", maxLength: 255 };

// Types of this stack whose Terraform resource has an input `name` and no override: the default applies.
const defaultNamed = [
    "aws:ecr/repository:Repository",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:ecs/cluster:Cluster",
    "aws:ecs/capacityProvider:CapacityProvider",
    "aws:ecs/service:Service",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/instanceProfile:InstanceProfile",
    "aws:ec2/launchTemplate:LaunchTemplate",
    "aws:autoscaling/group:Group",
    // No override for aws_lb: its auto-name may exceed the 32 characters ELB allows (pulumi/pulumi-cdk#62).
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:appautoscaling/policy:Policy",
    "aws:wafv2/webAcl:WebAcl",
    "aws:scheduler/schedule:Schedule",
    "aws:sqs/queue:Queue",
] as const;

const autoNaming: Readonly<Record<string, AutoNaming>> = {
    ...Object.fromEntries(defaultNamed.map((type) => [type, byDefault])),
    // resource_overrides.go: "aws_iam_role" name AutoName("name", 64, "-").
    "aws:iam/role:Role": { property: "name", maxLength: 64 },
    // aliases.go: "aws_lb_target_group" name AutoName("name", 32, "-").
    "aws:lb/targetGroup:TargetGroup": { property: "name", maxLength: 32 },
    // resource_overrides.go: "aws_s3_bucket" bucket AutoNameTransform("bucket", 63, strings.ToLower).
    "aws:s3/bucket:Bucket": { property: "bucket", maxLength: 63, lowercase: true },
    // resource_overrides.go: "aws_sns_topic" name, Maxlen 80 (".fifo" appended for FIFO topics).
    "aws:sns/topic:Topic": { property: "name", maxLength: 80 },
    // resource_overrides.go: "aws_cloudwatch_metric_alarm" alarm_name AutoName("name", 255, "-").
    "aws:cloudwatch/metricAlarm:MetricAlarm": byDefault,
};

/** The input property that holds a type's name: the auto-named one, else `name`. */
export function nameProperty(type: string): string {
    return autoNaming[type]?.property ?? "name";
}

/** The name AWS gets: the name property as the program set it, else Pulumi's auto-name. */
export function physicalName(type: string, logicalName: string, inputs: Inputs): string | undefined {
    return (inputs[nameProperty(type)] as string | undefined) ?? autoName(type, logicalName);
}

/** Pulumi's auto-name for a resource type: undefined when the type has no auto-named name property. */
export function autoName(type: string, logicalName: string): string | undefined {
    const naming = autoNaming[type];
    if (naming === undefined) {
        return undefined;
    }
    const base = naming.lowercase ? logicalName.toLowerCase() : logicalName;
    return `${base}-${randomSuffix}`;
}

/** The bridge's refusal of an auto-name longer than its maximum, when the program left the name to Pulumi. */
export function autoNameViolations(type: string, inputs: Inputs, physicalName: string | undefined): Violation[] {
    const naming = autoNaming[type];
    if (naming === undefined || inputs[naming.property] !== undefined || physicalName === undefined) {
        return [];
    }
    // https://github.com/pulumi/pulumi/blob/master/sdk/go/common/resource/names.go (NewUniqueName)
    return physicalName.length > naming.maxLength
        ? [{ property: naming.property, value: physicalName, rule: `Pulumi refuses to auto-name: longer than maximum length ${naming.maxLength}` }]
        : [];
}
